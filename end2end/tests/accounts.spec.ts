import { test, expect, type BrowserContext, type Page } from "@playwright/test";
import {
  DEMO_PIN,
  MANAGER,
  PHONE,
  TABLET,
  card,
  enrolWithCode,
  enterPin,
  expectedChildren,
  hydrated,
  markerButton,
  signIn,
  syncStatus,
} from "./helpers";

/** The day the server's clock is on, as in the children's day addresses. */
const TODAY = "2026-12-02";

/** Returns the row of the devices table for the device called `name`. */
function deviceRow(page: Page, name: string) {
  return page.getByRole("row").filter({ has: page.getByRole("rowheader", { name, exact: true }) });
}

/** Returns the list of marks kept from the device called `name`, in the row under its own. */
function heldMarks(page: Page, name: string) {
  return deviceRow(page, name)
    .locator("xpath=following-sibling::tr[1]")
    .getByRole("list", { name: "Marks kept from this device" });
}

/** Returns the row of the accounts table for the account with the email address `email`. */
function accountRow(page: Page, email: string) {
  return page.getByRole("row").filter({ has: page.getByRole("cell", { name: email, exact: true }) });
}

/** Returns the `/rooms/{id}` address of every room on a signed-in manager's room list. */
async function roomLinks(manager: Page): Promise<Map<string, string>> {
  await manager.goto("/");
  await hydrated(manager);
  const links = manager.getByRole("navigation", { name: "Rooms" }).getByRole("link");
  const rooms = new Map<string, string>();
  for (const link of await links.all()) {
    const name = (await link.locator(".room-name").innerText()).trim();
    rooms.set(name, (await link.getAttribute("href")) ?? "");
  }
  expect(rooms.size, "rooms on the manager's room list").toBeGreaterThan(1);
  return rooms;
}

test.describe.serial("a tablet the manager enrols", () => {
  const deviceName = "Toddlers tablet by the door";
  let office: BrowserContext;
  let manager: Page;
  let tablet: BrowserContext;
  let device: Page;
  let rooms: Map<string, string>;
  let practitioner = "";
  let marked = "";

  test.beforeAll(async ({ browser }) => {
    office = await browser.newContext(TABLET);
    manager = await office.newPage();
    tablet = await browser.newContext(TABLET);
    device = await tablet.newPage();
  });

  test.afterAll(async () => {
    await tablet.close();
    await office.close();
  });

  test("pairing code opens the room's register", async ({ browser }) => {
    await signIn(manager, MANAGER);
    await hydrated(manager);
    const manage = manager.getByRole("navigation", { name: "Manage" });
    for (const name of ["Whole setting today", "Accounts", "Tablets and displays", "Audit trail"]) {
      await expect(manage.getByRole("link", { name })).toBeVisible();
    }
    rooms = await roomLinks(manager);

    await manager.goto("/manage/devices");
    await hydrated(manager);
    await manager.getByLabel("Name").fill(deviceName);
    await manager.getByLabel("Room").selectOption({ label: "Toddlers" });
    await manager.getByRole("button", { name: "Make pairing code" }).tap();
    const codePanel = manager.locator(".pairing-code");
    await expect(codePanel).toHaveText(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    const code = (await codePanel.innerText()).trim();
    await expect(deviceRow(manager, deviceName)).toContainText("Waiting for its pairing code");

    await enrolWithCode(device, code);
    await expect(device.getByRole("heading", { level: 1, name: "Toddlers" })).toBeVisible();
    await expect(markerButton(device)).toHaveText("Tap to choose your name");
    await device.reload();
    await hydrated(device);
    await expect(device.getByRole("heading", { level: 1, name: "Toddlers" })).toBeVisible();

    // The tablet opens its own room at its address too, and no other room.
    const own = await device.goto(rooms.get("Toddlers")!);
    expect(own?.status()).toBe(200);
    await expect(device.getByRole("heading", { level: 1, name: "Toddlers" })).toBeVisible();
    const other = await device.goto(rooms.get("Babies")!);
    expect(other?.status()).toBe(404);
    await expect(device.getByRole("heading", { level: 1, name: "Babies" })).toHaveCount(0);

    // The code works once.
    const second = await browser.newContext(TABLET);
    const secondPage = await second.newPage();
    await secondPage.goto("/enrol");
    await hydrated(secondPage);
    await secondPage.getByLabel("Pairing code").fill(code);
    await secondPage.getByRole("button", { name: "Enrol" }).tap();
    await expect(secondPage.getByRole("alert")).toBeVisible();
    await expect(secondPage).toHaveURL(/\/enrol$/);
    await second.close();

    await manager.reload();
    await hydrated(manager);
    await expect(deviceRow(manager, deviceName)).toContainText("Enrolled");
  });

  test("practitioner marks with a PIN", async () => {
    await manager.goto("/manage/accounts");
    await hydrated(manager);
    practitioner = (await accountRow(manager, "toddlers@example.org").getByRole("rowheader").innerText()).trim();
    expect(practitioner).not.toBe("");

    await device.goto("/");
    await hydrated(device);
    await markerButton(device).tap();
    const names = device.getByRole("dialog", { name: "Who is marking?" });
    await names.getByRole("button", { name: practitioner, exact: true }).tap();
    const keypad = device.getByRole("dialog", { name: practitioner });
    await enterPin(device, "0000");
    await expect(keypad.getByRole("alert")).toContainText("That PIN is not right");
    await expect(markerButton(device)).toHaveText("Tap to choose your name");
    await enterPin(device, DEMO_PIN);
    await expect(device.getByRole("dialog")).toHaveCount(0);
    await expect(markerButton(device)).toHaveText(practitioner);

    [marked] = await expectedChildren(device);
    await card(device, marked).tap();
    await expect(card(device, marked)).toHaveAccessibleName(/Here since/);
    await expect(card(device, marked)).not.toHaveClass(/pending/);

    await device.getByRole("button", { name: `Options for ${marked}` }).tap();
    const history = device.getByRole("dialog").getByRole("link", { name: "See the day's history" });
    const address = await history.getAttribute("href");
    expect(address).toMatch(new RegExp(`^/children/[0-9a-f-]{36}/days/${TODAY}$`));
    await device.goto(address!);
    await hydrated(device);
    const arrival = device.getByRole("row").filter({ has: device.getByRole("cell", { name: "Arrived", exact: true }) });
    await expect(arrival).toHaveCount(1);
    await expect(arrival.getByRole("cell", { name: practitioner, exact: true })).toBeVisible();
  });

  test("removed tablet's waiting mark is kept for the manager", async () => {
    await device.goto("/");
    await hydrated(device);
    await expect(syncStatus(device)).toHaveText(/All marks saved/);
    await expect(markerButton(device)).toHaveText(practitioner);

    await tablet.setOffline(true);
    const [child] = await expectedChildren(device);
    await card(device, child).tap();
    await expect(card(device, child)).toContainText("Waiting to send");

    await manager.goto("/manage/devices");
    await hydrated(manager);
    await deviceRow(manager, deviceName).getByRole("button", { name: "Remove" }).tap();
    await expect(deviceRow(manager, deviceName)).toContainText("Removed");
    await expect(deviceRow(manager, deviceName).getByRole("button", { name: "Remove" })).toHaveCount(0);

    await tablet.setOffline(false);
    await expect(syncStatus(device)).toContainText("A manager removed this device", { timeout: 30_000 });
    // The tablet still shows the mark it could not send.
    await expect(card(device, child)).toHaveAccessibleName(/Here since/);

    await manager.reload();
    await hydrated(manager);
    const heldMark = heldMarks(manager, deviceName).getByRole("listitem").filter({ hasText: child });
    await expect(heldMark).toHaveCount(1);
    await heldMark.getByRole("button", { name: "Accept" }).tap();
    // Checked softly, so that a refusal also shows whether the mark reached the register.
    await expect.soft(manager.getByRole("status")).toHaveText("The mark was added to the register.");
    await expect(heldMark).toHaveCount(0);

    // Accepted, the mark is in the register, made by the practitioner who made it.
    await manager.goto(rooms.get("Toddlers")!);
    await hydrated(manager);
    await expect(card(manager, child)).toHaveAccessibleName(/Here since/);
    await expect(card(manager, marked)).toHaveAccessibleName(/Here since/);
    await manager.getByRole("button", { name: `Options for ${child}` }).tap();
    await manager.getByRole("dialog").getByRole("link", { name: "See the day's history" }).tap();
    const arrival = manager.getByRole("row").filter({ has: manager.getByRole("cell", { name: "Arrived", exact: true }) });
    await expect(arrival).toHaveCount(1);
    await expect(arrival.getByRole("cell", { name: practitioner, exact: true })).toBeVisible();
  });
});

test("parent sees only their own child", async ({ browser }) => {
  // The manager's lists name each parent's child and every room.
  const office = await browser.newContext(TABLET);
  const manager = await office.newPage();
  await signIn(manager, MANAGER);
  const rooms = await roomLinks(manager);
  await manager.goto("/manage/accounts");
  await hydrated(manager);
  const childOf = async (email: string) => {
    const links = accountRow(manager, email).getByRole("cell").nth(2);
    return (await links.innerText()).trim();
  };
  const own = await childOf("parent@example.org");
  const other = await childOf("parent2@example.org");
  await office.close();
  const ownFirst = own.split(" ")[0];
  const otherFirst = other.split(" ")[0];
  expect(ownFirst, "the two parents' children have different first names").not.toBe(otherFirst);

  const phone = await browser.newContext(PHONE);
  const page = await phone.newPage();
  await signIn(page, "parent@example.org");
  // Checked softly, so that the checks of what the parent reaches still run if this fails.
  await expect.soft(page).toHaveURL(/\/my$/);
  await page.goto("/my");
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1, name: "Your children" })).toBeVisible();
  await expect(page.locator(".parent-child").getByRole("heading", { level: 2 })).toHaveText([ownFirst]);
  await expect(page.getByRole("main")).not.toContainText(otherFirst);

  for (const path of ["/today", ...rooms.values()]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  }
  await phone.close();

  const anonymous = await browser.newContext(PHONE);
  const visitor = await anonymous.newPage();
  const response = await visitor.goto("/today");
  const redirect = await response?.request().redirectedFrom()?.response();
  expect(redirect?.url()).toMatch(/\/today$/);
  expect(redirect?.status()).toBe(303);
  expect(new URL(visitor.url()).pathname).toBe("/sign-in");
  expect(new URL(visitor.url()).searchParams.get("next")).toBe("/today");
  await expect(visitor.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
  await anonymous.close();
});

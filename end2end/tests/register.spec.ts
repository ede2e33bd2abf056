import { test, expect } from "@playwright/test";
import {
  TABLET,
  card,
  enrolTablet,
  expectedChildren,
  hydrated,
  markerButton,
  openRoom,
  secondTablet,
  toast,
} from "./helpers";

test.use(TABLET);

test("arrival is shown, stored, and seen by another tablet", async ({ page, browser }) => {
  await openRoom(page, "Pre-school");
  const [child] = await expectedChildren(page);
  const before = Number(await page.locator(".count.here .count-value").innerText());

  await card(page, child).tap();
  await expect(card(page, child)).toHaveAccessibleName(/Here since \d\d:\d\d/);
  await expect(toast(page)).toContainText(`${child.split(" ")[0]} is here`);
  await expect(page.locator(".count.here .count-value")).toHaveText(String(before + 1));
  await expect(card(page, child)).not.toHaveClass(/pending/);

  await page.reload();
  await hydrated(page);
  await expect(card(page, child)).toHaveAccessibleName(/Here since/);

  const other = await secondTablet(browser, "Pre-school");
  await expect(card(other.page, child)).toHaveAccessibleName(/Here since/);
  await other.context.close();
});

test("sign-out records who collected", async ({ page }) => {
  await openRoom(page, "Pre-school");
  const [child] = await expectedChildren(page);
  const first = child.split(" ")[0];
  await card(page, child).tap();
  await expect(card(page, child)).toHaveAccessibleName(/Here since/);
  await expect(card(page, child)).not.toHaveClass(/pending/);

  // A fresh page: a second tap moments after the first counts as the same tap.
  await page.reload();
  await hydrated(page);
  await card(page, child).tap();
  const sheet = page.getByRole("dialog", { name: `Sign out ${child}` });
  await expect(sheet).toBeVisible();
  const sign = sheet.getByRole("button", { name: `Sign out ${first}` });
  await expect(sign).toBeDisabled();
  await sheet.getByRole("radio").first().check();
  await sign.tap();
  await expect(card(page, child)).toHaveAccessibleName(/Gone home at \d\d:\d\d/);
  await expect(toast(page)).toContainText("collected by");

  await page.reload();
  await hydrated(page);
  await expect(card(page, child)).toHaveAccessibleName(/Gone home at/);
});

test("collector not on the list gets a clear warning", async ({ page }) => {
  await openRoom(page, "Toddlers");
  const [child] = await expectedChildren(page);
  const first = child.split(" ")[0];
  await card(page, child).tap();
  await expect(card(page, child)).toHaveAccessibleName(/Here since/);
  await expect(card(page, child)).not.toHaveClass(/pending/);
  await page.getByRole("button", { name: `Options for ${child}` }).tap();
  await page.getByRole("dialog").getByRole("button", { name: "Sign out" }).tap();

  const sheet = page.getByRole("dialog", { name: `Sign out ${child}` });
  await sheet.getByRole("radio", { name: "Someone else" }).check();
  await expect(sheet.getByRole("alert")).toContainText("Not on the collection list");
  await sheet.getByLabel("Their name").fill("Uncle Bob");
  await sheet.getByRole("button", { name: `Sign out ${first}` }).tap();
  await expect(card(page, child)).toHaveAccessibleName(/Gone home/);
  await expect(card(page, child)).not.toHaveClass(/pending/);

  await page.getByRole("button", { name: `Options for ${child}` }).tap();
  await page.getByRole("dialog").getByRole("link", { name: "See the day's history" }).tap();
  await expect(page.getByRole("cell", { name: /collected by Uncle Bob \(not on the collection list\)/ })).toBeVisible();
});

test("absence with a reason", async ({ page }) => {
  await openRoom(page, "Babies");
  const [child] = await expectedChildren(page);
  await page.getByRole("button", { name: `Options for ${child}` }).tap();
  await page.getByRole("dialog").getByRole("button", { name: "Mark absent" }).tap();
  const sheet = page.getByRole("dialog", { name: `Mark absent: ${child}` });
  const confirm = sheet.getByRole("button", { name: "Mark absent" });
  await sheet.getByRole("radio", { name: "Other" }).check();
  await expect(confirm).toBeDisabled();
  await sheet.getByRole("radio", { name: "Illness" }).check();
  await confirm.tap();
  await expect(card(page, child)).toHaveAccessibleName(/Absent: illness/);
  await expect(card(page, child)).not.toHaveClass(/pending/);
  await page.reload();
  await hydrated(page);
  await expect(card(page, child)).toHaveAccessibleName(/Absent: illness/);
});

test("undo withdraws the mark and keeps the audit trail", async ({ page }) => {
  await openRoom(page, "Babies");
  const children = await expectedChildren(page);
  const child = children[1];
  await card(page, child).tap();
  await expect(card(page, child)).toHaveAccessibleName(/Here since/);
  await page.getByRole("button", { name: "Undo" }).tap();
  await expect(card(page, child)).toHaveAccessibleName(/, Expected,/);
  await expect(card(page, child)).not.toHaveClass(/pending/);

  await page.reload();
  await hydrated(page);
  await expect(card(page, child)).toHaveAccessibleName(/, Expected,/);
  await page.getByRole("button", { name: `Options for ${child}` }).tap();
  await page.getByRole("dialog").getByRole("link", { name: "See the day's history" }).tap();
  await expect(page.getByRole("cell", { name: "Arrived", exact: true })).toBeVisible();
  await expect(page.getByRole("cell", { name: /^Undid the mark "Arrived" made at \d\d:\d\d$/ })).toBeVisible();
});

test("correction of an arrival time needs a reason", async ({ page }) => {
  await openRoom(page, "Toddlers");
  const children = await expectedChildren(page);
  const child = children[1];
  const first = child.split(" ")[0];
  await card(page, child).tap();
  await expect(card(page, child)).toHaveAccessibleName(/Here since/);
  await expect(card(page, child)).not.toHaveClass(/pending/);

  await page.getByRole("button", { name: `Options for ${child}` }).tap();
  await page.getByRole("dialog").getByRole("button", { name: "Correct a mark" }).tap();
  const sheet = page.getByRole("dialog", { name: `Correct a mark for ${child}` });
  await sheet.getByRole("radio", { name: /^Arrived at/ }).check();
  await sheet.getByLabel("Correct time").fill("08:05");
  const save = sheet.getByRole("button", { name: "Save correction" });
  await expect(save).toBeDisabled();
  await sheet.getByLabel(/Why is it being corrected/).fill("Marked late: arrived with her brother");
  await save.tap();
  await expect(card(page, child)).toHaveAccessibleName(/Here since 08:05/);
  await expect(toast(page)).toContainText(`Correction saved for ${first}`);
  await expect(card(page, child)).not.toHaveClass(/pending/);

  await page.reload();
  await hydrated(page);
  await expect(card(page, child)).toHaveAccessibleName(/Here since 08:05/);
});

test("rapid repeated taps make one arrival", async ({ page, request }) => {
  await openRoom(page, "Pre-school");
  const children = await expectedChildren(page);
  const child = children[children.length - 1];
  const button = card(page, child);
  await button.tap();
  await button.tap();
  await button.tap();
  await expect(button).toHaveAccessibleName(/Here since/);
  await expect(button).not.toHaveClass(/pending/);
  await expect(page.getByRole("dialog")).toHaveCount(0);

  await page.getByRole("button", { name: `Options for ${child}` }).tap();
  await page.getByRole("dialog").getByRole("link", { name: "See the day's history" }).tap();
  await expect(page.getByRole("cell", { name: "Arrived", exact: true })).toHaveCount(1);
});

test("marking without choosing a name asks who is marking", async ({ page }) => {
  await enrolTablet(page, "Pre-school");
  await expect(markerButton(page)).toHaveText("Tap to choose your name");
  const [child] = await expectedChildren(page);
  await card(page, child).tap();
  await expect(page.getByRole("alert")).toContainText("Tap your name and enter your PIN before marking.");
  await expect(page.getByRole("dialog", { name: "Who is marking?" })).toBeVisible();
  await expect(card(page, child)).toHaveAccessibleName(/, Expected,/);
});

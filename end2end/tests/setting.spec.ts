import { test, expect } from "@playwright/test";
import { MANAGER, TABLET, card, enrolTablet, expectedChildren, hydrated, openRoom, signIn } from "./helpers";

test.use(TABLET);

test("whole-setting view lists who has not arrived", async ({ page, browser }) => {
  await openRoom(page, "Toddlers");
  const children = await expectedChildren(page);
  const child = children[children.length - 1];
  const [first, last] = child.split(" ");
  const shortName = `${first} ${last[0]}.`;

  // The whole-setting view is the manager's, in the office; the mark is made on the tablet.
  const office = await browser.newContext(TABLET);
  const manager = await office.newPage();
  await signIn(manager, MANAGER);
  await manager.goto("/today");
  await hydrated(manager);
  await expect(manager.getByRole("heading", { level: 1, name: "Whole setting today" })).toBeVisible();
  const room = manager.getByRole("region", { name: "Toddlers" });
  await expect(room.getByRole("listitem").filter({ hasText: shortName })).toHaveCount(1);

  await card(page, child).tap();
  await expect(card(page, child)).toHaveAccessibleName(/Here since/);
  await expect(card(page, child)).not.toHaveClass(/pending/);

  await manager.reload();
  await hydrated(manager);
  await expect(room.getByRole("listitem").filter({ hasText: shortName })).toHaveCount(0);
  await expect(room.locator(".count.here .count-value")).not.toHaveText("0");
  await office.close();
});

test("unknown pages and rooms say so", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await enrolTablet(page, "Toddlers");
  const room = await page.goto("/rooms/not-a-room");
  expect(room?.status()).toBe(404);
  await expect(page.getByRole("alert")).toContainText("That room was not found");
});

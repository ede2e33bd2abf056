import { test, expect } from "@playwright/test";
import { TABLET, card, expectedChildren, hydrated, openRoom } from "./helpers";

test.use(TABLET);

test("whole-setting view lists who has not arrived", async ({ page }) => {
  await openRoom(page, "Toddlers");
  const children = await expectedChildren(page);
  const child = children[children.length - 1];
  const [first, last] = child.split(" ");
  const shortName = `${first} ${last[0]}.`;

  await page.goto("/today");
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1, name: "Whole setting today" })).toBeVisible();
  const room = page.getByRole("region", { name: "Toddlers" });
  await expect(room.getByRole("listitem").filter({ hasText: shortName })).toHaveCount(1);

  await openRoom(page, "Toddlers");
  await card(page, child).tap();
  await expect(card(page, child)).toHaveAccessibleName(/Here since/);
  await expect(card(page, child)).not.toHaveClass(/pending/);

  await page.goto("/today");
  await hydrated(page);
  await expect(room.getByRole("listitem").filter({ hasText: shortName })).toHaveCount(0);
  await expect(room.locator(".count.here .count-value")).not.toHaveText("0");
});

test("unknown pages and rooms say so", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  const room = await page.goto("/rooms/not-a-room");
  expect(room?.status()).toBe(404);
  await expect(page.getByRole("alert")).toContainText("That room was not found");
});

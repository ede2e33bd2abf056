import { expect, type Page, type Browser, type BrowserContext } from "@playwright/test";

/** A portrait tablet with touch, like the room iPads and Android tablets settings use. */
export const TABLET = { viewport: { width: 820, height: 1180 }, hasTouch: true };

/** Waits until the WASM has hydrated the page, so taps reach the app. */
export async function hydrated(page: Page) {
  await expect(page.locator("html[data-hydrated]")).toHaveCount(1);
}

/** Opens a room's register from the room chooser and picks the first staff member. */
export async function openRoom(page: Page, room: string) {
  await page.goto("/");
  await hydrated(page);
  // Room links load the register as a whole page, so it can open offline later.
  await page.getByRole("link", { name: new RegExp(`^${room}`) }).tap();
  await page.waitForURL(/\/rooms\//);
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1, name: room })).toBeVisible();
  await page.getByLabel("Marking as").selectOption({ index: 1 });
}

/** Returns the main button of a child's card. */
export function card(page: Page, name: string) {
  return page.getByRole("button", { name: new RegExp(`^${name},`) });
}

/** Lists the names of children whose card shows "Expected", in page order. */
export async function expectedChildren(page: Page): Promise<string[]> {
  const labels = await page
    .getByRole("list", { name: "Children" })
    .getByRole("button", { name: /, Expected, / })
    .evaluateAll((buttons) => buttons.map((b) => b.getAttribute("aria-label") ?? ""));
  return labels.map((label) => label.split(",")[0]);
}

/** Opens a second tablet in its own browser context. */
export async function secondTablet(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(TABLET);
  const page = await context.newPage();
  return { context, page };
}

/** Returns the message shown after a mark (with its undo button). */
export function toast(page: Page) {
  return page.locator(".toast-area");
}

/** Returns the register's sync status line, always in view. */
export function syncStatus(page: Page) {
  return page.locator(".sync-status [role=status]");
}

// The lobby display: enrolled with a pairing code for no room, it rotates through its slides,
// keeps the last data with an "Offline" mark when its data requests fail, recovers by itself,
// and stops when a manager removes it. `?fast=1` shortens the rotation to 1.5 s and the
// refresh to 2 s.
import { expect, test, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { MANAGER, hydrated, lobbyPairingCode, signIn } from "./helpers";

const DISPLAY = { viewport: { width: 1920, height: 1080 }, locale: "en-GB" };
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/** Collects the distinct slides shown over `ms` milliseconds. */
async function slidesSeen(page: Page, ms: number): Promise<Set<string>> {
  const seen = new Set<string>();
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const name = await page.locator(".lobby-slide").getAttribute("data-slide");
    if (name) seen.add(name);
    await page.waitForTimeout(250);
  }
  return seen;
}

test("lobby display rotates, survives offline and stops when removed", async ({ browser }) => {
  const name = `Entrance screen ${Date.now()}`;
  const context = await browser.newContext(DISPLAY);
  const page = await context.newPage();

  // Enrol with a code made for no room; the display opens at /.
  await page.goto("/enrol");
  await hydrated(page);
  await page.getByLabel("Pairing code").fill(lobbyPairingCode(name));
  await page.getByRole("button", { name: "Enrol" }).click();
  await page.waitForURL((url) => url.pathname === "/");
  await expect(page.locator(".lobby-display")).toBeVisible();
  await expect(page.locator(".lobby-setting")).toHaveText("Willow Tree Day Nursery");

  await page.goto("/?fast=1");
  await hydrated(page);
  await expect(page.locator(".lobby-slide")).toHaveAttribute("data-slide", "setting");
  await expect(page.locator(".lobby-count")).toHaveText(/^1 of \d+$/);
  const seen = await slidesSeen(page, 7_000);
  expect(seen.has("rooms"), [...seen].join(", ")).toBe(true);
  expect(seen.size).toBeGreaterThanOrEqual(4);
  // Only one slide is in the page at a time.
  await expect(page.locator(".lobby-slide")).toHaveCount(1);

  // The data requests fail: the slides stay, and the mark states it in words.
  await context.route("**/api/lobby", (route) => route.abort());
  const offline = page.locator(".lobby-offline");
  await expect(offline).toContainText(/Offline: showing the last update at \d\d:\d\d/);
  await expect(page.locator(".lobby-slide")).toHaveCount(1);
  await expect(page.locator(".lobby-setting")).toHaveText("Willow Tree Day Nursery");

  // Back online, the next refresh clears the mark.
  await context.unroute("**/api/lobby");
  await expect(offline).toHaveCount(0);

  // The browser itself offline, then online again.
  await context.setOffline(true);
  await expect(offline).toBeVisible();
  await expect(page.locator(".lobby-slide")).toHaveCount(1);
  await context.setOffline(false);
  await expect(offline).toHaveCount(0);

  // A manager removes the display: its next refresh stops it, and reloading shows the reason.
  const managerContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, hasTouch: true, locale: "en-GB" });
  const manager = await managerContext.newPage();
  await signIn(manager, MANAGER);
  await manager.goto("/manage/devices");
  await hydrated(manager);
  await manager.getByRole("row", { name }).getByRole("button", { name: "Remove" }).click();
  await expect(manager.getByRole("row", { name }).getByText(/^Removed/)).toBeVisible();

  await expect(page.getByText("This display has stopped")).toBeVisible();
  await expect(page.locator(".lobby-names")).toHaveCount(0);
  await page.reload();
  await expect(page.getByText(/removed this device/)).toBeVisible();
  await expect(page.locator(".lobby-display")).toHaveCount(0);

  await managerContext.close();
  await context.close();
});

test("manager previews the display and edits its messages", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, hasTouch: true, locale: "en-GB" });
  const page = await context.newPage();
  await signIn(page, MANAGER);
  await page.goto("/manage/lobby");
  await hydrated(page);
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  expect(results.violations.map((v) => v.id), "the lobby display's page has WCAG 2.2 AA violations").toEqual([]);
  const box = page.getByLabel("Messages on why attendance matters, one per line");
  await box.fill("Every day counts at Willow Tree!\nThank you for coming.");
  await page.getByRole("button", { name: "Save messages" }).click();
  await expect(page.getByText("Messages saved.")).toBeVisible();

  await page.goto("/lobby?fast=1");
  await hydrated(page);
  await expect(page.locator(".lobby-message")).toHaveText("Every day counts at Willow Tree!", {
    timeout: 30_000,
  });

  // Back to the defaults, so other tests see the demo as it was.
  await page.goto("/manage/lobby");
  await hydrated(page);
  await page.getByLabel("Messages on why attendance matters, one per line").fill("");
  await page.getByRole("button", { name: "Save messages" }).click();
  await expect(page.getByText("Messages saved.")).toBeVisible();
  await context.close();
});

/** Moves the page's test clock on a second at a time until the slide turns. Returns the new slide. */
async function nextTurn(page: Page): Promise<string> {
  const slide = page.locator(".lobby-slide");
  const before = await slide.getAttribute("data-slide");
  for (let second = 0; second < 30; second++) {
    await page.clock.runFor(1_000);
    const now = await slide.getAttribute("data-slide");
    if (now !== before) return now ?? "";
  }
  throw new Error("the slide did not turn within 30 seconds");
}

test("lobby slides pass axe and follow reduced motion", async ({ browser }) => {
  test.setTimeout(240_000);
  const context = await browser.newContext({ ...DISPLAY, hasTouch: true, reducedMotion: "reduce" });
  const page = await context.newPage();
  await signIn(page, MANAGER);
  // The page's timers run on a test clock, moved on by the test.
  await page.clock.install();
  await page.goto("/lobby");
  await hydrated(page);
  const slide = page.locator(".lobby-slide");
  await expect(slide).toHaveAttribute("data-slide", "setting");
  expect(await slide.evaluate((el) => getComputedStyle(el).animationName)).toBe("none");
  const count = Number((await page.locator(".lobby-count").innerText()).split(" of ")[1]);
  expect(count).toBeGreaterThanOrEqual(4);

  // With reduced motion a slide shows for 20 seconds, not 12. The clock is paused for this
  // check, so once the slide has just turned, the next turn is due 20 s on (±1 s).
  await page.clock.pauseAt(new Date(Date.now() + 500));
  const turned = await nextTurn(page);
  await page.clock.runFor(13_000);
  await expect(slide).toHaveAttribute("data-slide", turned);
  await page.clock.runFor(7_000);
  await expect(slide).not.toHaveAttribute("data-slide", turned);

  // Each slide is checked just after it turns, well before the next turn. The axe checks need
  // the clock to run.
  await page.clock.resume();
  const checked = new Set<string>();
  for (let n = 0; n < count; n++) {
    const key = await nextTurn(page);
    checked.add(key);
    const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
    const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length} nodes)`);
    expect(summary, `the ${key} slide has WCAG 2.2 AA violations`).toEqual([]);
    // Names are a first name and an initial, never a surname.
    for (const name of await page.locator(".lobby-names li, .lobby-name").allInnerTexts()) {
      expect(name.trim()).toMatch(/^[A-Z][a-z'-]+( [A-Z]\.)?$/);
    }
  }
  expect(checked.size, [...checked].join(", ")).toBe(count);
  for (const key of ["setting", "rooms", "full-week"]) expect(checked).toContain(key);
  await context.close();

  // Without reduced motion, slides fade in and turn every 12 seconds.
  const moving = await browser.newContext({ ...DISPLAY, hasTouch: true });
  const other = await moving.newPage();
  await signIn(other, MANAGER);
  await other.clock.install();
  await other.goto("/lobby");
  await hydrated(other);
  const shown = other.locator(".lobby-slide");
  expect(await shown.evaluate((el) => getComputedStyle(el).animationName)).toBe("lobby-fade");
  await other.clock.pauseAt(new Date(Date.now() + 500));
  const key = await nextTurn(other);
  await other.clock.runFor(11_000);
  await expect(shown).toHaveAttribute("data-slide", key);
  await other.clock.runFor(1_000);
  await expect(shown).not.toHaveAttribute("data-slide", key);
  await moving.close();
});

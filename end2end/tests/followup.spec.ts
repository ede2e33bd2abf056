// The manager's follow-up screens: the morning call list, level suggestions, a child's case log
// and letters, and the attendance dashboard. Each test signs in once, because the server allows
// 5 sign-ins to an account and then one a minute.
import { test, expect, type Locator, type Page } from "@playwright/test";
import { MANAGER, PHONE, TABLET, hydrated, signIn } from "./helpers";

const CHILD = "Freya Okafor";
const LEVEL_2 = "Level 2: early intervention";

/** Returns the `<section>` whose h2 starts with `heading`, found by its accessible name. */
function region(page: Page, heading: string): Locator {
  return page.getByRole("region", { name: new RegExp(`^${heading}`) });
}

/** Returns the number in the count badge of the h2 of the section `heading`. */
async function countIn(page: Page, heading: string): Promise<number> {
  const badge = region(page, heading).getByRole("heading", { level: 2 }).locator(".count-badge");
  const count = Number((await badge.innerText()).trim());
  expect(Number.isInteger(count), `the ${heading} count is a whole number`).toBe(true);
  return count;
}

/** Returns the absent count of the row for `room` in the "Today by room" table. */
async function absentIn(page: Page, room: string): Promise<number> {
  const row = region(page, "Today by room")
    .getByRole("row")
    .filter({ has: page.getByRole("rowheader", { name: room, exact: true }) });
  // Cells after the room name: Booked, Here, Gone home, Absent, Not yet arrived.
  return Number((await row.getByRole("cell").nth(3).innerText()).trim());
}

/** Returns the `<li>` of a child on the call list, named by the child's h3. */
function callRow(page: Page, name: string): Locator {
  return region(page, "Call list").getByRole("listitem", { name, exact: true });
}

/** Opens the call form of a child on the call list, unless it is already open. */
async function openCallForm(page: Page, name: string): Promise<Locator> {
  const row = callRow(page, name);
  const details = row.locator("details.call-details");
  if (!(await details.evaluate((element) => (element as HTMLDetailsElement).open))) {
    await row.locator("summary").filter({ hasText: `Call about ${name}` }).tap();
  }
  await expect(row.getByRole("button", { name: `Log call for ${name}` })).toBeVisible();
  return row;
}

/** Returns the `<section>` of a child page whose h2 is `heading`. Those sections have no
 * accessible name, so they are found by their heading. */
function panel(page: Page, heading: string): Locator {
  return page.locator("section").filter({ has: page.getByRole("heading", { level: 2, name: heading, exact: true }) });
}

/** Returns the rows of `table` that contain a link named `name`. */
function rowLinking(table: Locator, name: string): Locator {
  return table.getByRole("row").filter({ has: table.page().getByRole("link", { name, exact: true }) });
}

test.use(TABLET);

test("a manager works the morning call list and a suggestion", async ({ page }) => {
  await signIn(page, MANAGER);
  await page.goto("/manage/morning");
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("This morning: Wednesday 2 December");

  // Freya's attendance fell from 100% to about 55%, so the rules suggest Level 2.
  const suggestions = region(page, "Suggestions");
  const card = suggestions.getByRole("listitem", { name: CHILD, exact: true });
  await expect(card).toContainText(`Suggest ${LEVEL_2}`);
  const reasons = card.locator(".reasons-list").getByRole("listitem");
  await expect(reasons.filter({ hasText: "down from" })).toHaveText([
    /^\d+% over the last 6 weeks \(\d+ of \d+ sessions\), down from \d+% in the 6 weeks before$/,
  ]);
  const childLink = card.getByRole("heading", { level: 3 }).getByRole("link", { name: CHILD });
  const childHref = await childLink.getAttribute("href");
  expect(childHref).toMatch(/^\/manage\/children\/[0-9a-f-]{36}$/);

  const suggestionsBefore = await countIn(page, "Suggestions");
  const levelNote = "Attendance fell over the last 6 weeks; calling the family this week";
  await card.getByLabel("Note (optional)").fill(levelNote);
  await card.getByRole("button", { name: `Confirm ${LEVEL_2} for ${CHILD}` }).tap();
  await expect(card).toHaveCount(0);
  expect(await countIn(page, "Suggestions")).toBe(suggestionsBefore - 1);

  // Demo children are not marked today, so at 09:30 Freya is on the call list.
  await expect(callRow(page, CHILD)).toHaveCount(1);
  const visits = region(page, "Arrange a home visit");
  await expect(visits.getByRole("link", { name: CHILD, exact: true })).toHaveCount(0);
  const callsBefore = await countIn(page, "Call list");
  const absentBefore = await absentIn(page, "Pre-school");

  let row = await openCallForm(page, CHILD);
  const phone = row.getByRole("link", { name: /: 07700 ?9\d{5}$/ }).first();
  await expect(phone).toHaveAttribute("href", /^tel:07700/);
  const noAnswer = row.getByRole("radio", { name: "No answer" });
  await noAnswer.tap();
  await expect(noAnswer).toBeChecked();
  await row.getByLabel("Note", { exact: true }).fill("Voicemail left");
  await row.getByRole("button", { name: `Log call for ${CHILD}` }).tap();
  await expect(visits.getByRole("link", { name: CHILD, exact: true })).toBeVisible();
  await expect(visits).toContainText("No contact with the family today");
  await expect(callRow(page, CHILD).locator(".call-history")).toContainText("No answer");
  await expect(callRow(page, CHILD).locator(".call-history")).toContainText("Voicemail left");
  expect(await countIn(page, "Call list"), "a call with no answer keeps the child listed").toBe(callsBefore);

  row = await openCallForm(page, CHILD);
  const reached = row.getByRole("radio", { name: "Reached: reason given" });
  await reached.tap();
  await expect(reached).toBeChecked();
  await row.getByLabel("Reason given (marks the register)").selectOption({ label: "Illness" });
  await row.getByLabel("Note", { exact: true }).fill("Off sick with a temperature");
  await row.getByRole("button", { name: `Log call for ${CHILD}` }).tap();
  await expect(callRow(page, CHILD)).toHaveCount(0);
  expect(await countIn(page, "Call list")).toBe(callsBefore - 1);
  await expect(visits.getByRole("link", { name: CHILD, exact: true })).toHaveCount(0);
  expect(await absentIn(page, "Pre-school"), "the reason given marks Freya absent").toBe(absentBefore + 1);

  // Freya has left every list on the morning page, so her page opens from the link kept above.
  await page.goto(childHref!);
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(CHILD);
  await expect(page.locator(".level-badge")).toHaveText(LEVEL_2);
  const levels = panel(page, "Level history").getByRole("row").filter({ hasText: levelNote });
  await expect(levels).toContainText(LEVEL_2);

  const log = panel(page, "Case log");
  await expect(log.getByRole("cell", { name: "Call made", exact: true })).toHaveCount(2);
  await expect(log.getByRole("cell", { name: "No answer: Voicemail left", exact: true })).toHaveCount(1);
  await expect(
    log.getByRole("cell", { name: "Reached: reason given: Off sick with a temperature", exact: true }),
  ).toHaveCount(1);
  await expect(log.locator(".review-due")).toHaveCount(0);

  await log.getByLabel("Action").selectOption({ label: "Meeting with parents" });
  await expect(log.getByLabel("Date", { exact: true })).toHaveValue("2026-12-02");
  await log.getByLabel("Outcome or note").fill("Agreed to call the setting on any day Freya is off");
  await log.getByLabel("Next review (optional)").fill("2026-12-04");
  await log.getByRole("button", { name: "Add to the log" }).tap();
  await expect(log.getByRole("cell", { name: "Meeting with parents", exact: true })).toHaveCount(1);
  await expect(log.locator(".review-due")).toHaveText("Next review: Friday 4 December 2026");

  await page.getByRole("link", { name: "Letter: Concern about attendance" }).tap();
  await page.waitForURL(/\/letters\/concern$/);
  const letter = page.getByRole("article", { name: "Concern about attendance" });
  await expect(letter).toContainText("Freya");
  await expect(letter).toContainText(/Over the last 6 weeks Freya attended \d+ of \d+ booked sessions/);
  await expect(page.getByRole("button", { name: "Print" })).toBeVisible();
  await page.getByRole("button", { name: "Record as sent" }).tap();
  await expect(page.getByRole("status").filter({ hasText: "Recorded as sent" })).toHaveText(
    "Recorded as sent in the case log.",
  );
  await expect(page.getByRole("button", { name: "Record as sent" })).toHaveCount(0);

  await page.getByRole("link", { name: `Back to ${CHILD}` }).tap();
  await page.waitForURL((url) => url.pathname === childHref);
  await expect(panel(page, "Case log").getByRole("cell", { name: "Letter sent", exact: true })).toHaveCount(1);
  const sent = panel(page, "Letters").getByRole("listitem");
  await expect(sent).toContainText(["Concern about attendance: sent 2 Dec 2026 by"]);

  await page.goto("/manage/morning");
  await hydrated(page);
  const reviews = region(page, "Reviews due");
  await expect(rowLinking(reviews, CHILD)).toContainText("Due Friday 4 Dec");
  await expect(rowLinking(reviews, CHILD)).toContainText(LEVEL_2);
  // Isaac Kowalski's review is overdue in the demo data.
  await expect(rowLinking(reviews, "Isaac Kowalski")).toContainText("Overdue since");
});

test("the follow-up pages are for managers only", async ({ page }) => {
  await signIn(page, "parent@example.org");

  const morning = await page.goto("/manage/morning");
  expect(morning?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Manage" })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: /^Call list/ })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: /^Suggestions/ })).toHaveCount(0);

  const attendance = await page.goto("/manage/attendance");
  expect(attendance?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: "Attendance" })).toHaveCount(0);
  await expect(page.locator("svg[role=img]")).toHaveCount(0);
});

test("the dashboard shows charts with their numbers", async ({ browser }) => {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await signIn(page, MANAGER);
  await page.goto("/manage/attendance");
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Attendance");

  const charts = page.locator("svg[role=img]");
  expect(await charts.count(), "charts on the dashboard").toBeGreaterThan(0);
  const weekly = page.getByRole("img", { name: /^Setting attendance each week: \d+ bars from / });
  await expect(weekly).toBeVisible();

  const numbers = page.locator("figure.chart details").first();
  await expect(numbers.getByRole("table")).toBeHidden();
  await numbers.locator("summary").filter({ hasText: "Show the numbers" }).tap();
  const rows = numbers.getByRole("table").getByRole("row");
  await expect(rows.first()).toBeVisible();
  expect(await rows.count(), "a header row and at least one row of numbers").toBeGreaterThan(1);
  await expect(rows.nth(1).getByRole("cell").first()).toHaveText(/^\d+%$/);

  await page.getByLabel("From", { exact: true }).fill("2026-11-02");
  await page.getByLabel("To", { exact: true }).fill("2026-11-27");
  await page.getByRole("button", { name: "Show these dates" }).tap();
  await page.waitForURL(/[?&]from=2026-11-02&to=2026-11-27/);
  await expect(page.getByRole("heading", { level: 2, name: /^Chosen dates: / })).toBeVisible();
  await expect(page.getByLabel("From", { exact: true })).toHaveValue("2026-11-02");
  await expect(page.getByLabel("To", { exact: true })).toHaveValue("2026-11-27");

  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, "no sideways scrolling at 360 px").toBeLessThanOrEqual(0);
  await context.close();
});

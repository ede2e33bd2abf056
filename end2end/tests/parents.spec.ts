import { test, expect } from "@playwright/test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  MANAGER,
  PHONE,
  TABLET,
  card,
  chooseMarker,
  enrolTablet,
  freePort,
  hydrated,
  roomIdByName,
  serverRegister,
  signIn,
  signInRequest,
  startServer,
  stopServer,
} from "./helpers";

// Parents on a phone: their own child's page, reporting an absence, and the report reaching
// the room tablet and the manager's call list.

const site = process.env.HT_SITE_ROOT ?? join(resolve(__dirname, "../.."), "target/site");

/** Opens the report form for `name` and fills it in. */
async function fillReport(page: import("@playwright/test").Page, name: string, day: string, reason: string) {
  await page.getByText(`Tell us ${name} will be away`).tap();
  await page.getByLabel("First day").fill(day);
  await page.getByLabel("Reason").selectOption({ label: reason });
}

test("a parent reports tomorrow's absence and the room tablet shows it the next morning", async ({
  browser,
  playwright,
}) => {
  test.setTimeout(120_000);
  const work = mkdtempSync(join(tmpdir(), "here-today-parents-"));
  const port = await freePort();
  const database = join(work, "parents.db");
  const baseURL = `http://127.0.0.1:${port}`;
  // Wednesday 2 December 2026 at 18:30: the evening before.
  const evening = "2026-12-02T18:30:00Z";
  let server = await startServer({ port, database, siteRoot: site, pretendNow: evening });
  const phone = await browser.newContext({ ...PHONE, baseURL });
  const tablet = await browser.newContext({ ...TABLET, baseURL });
  const manager = await browser.newContext({ ...TABLET, baseURL });
  const managerApi = await playwright.request.newContext({ baseURL });
  try {
    const parent = await phone.newPage();
    await signIn(parent, "parent@example.org");
    await expect(parent).toHaveURL(/\/my$/);
    await hydrated(parent);
    await expect(parent.locator(".parent-child")).toHaveCount(1);
    await expect(parent.getByRole("heading", { level: 2, name: "Dev" })).toBeVisible();
    await expect(parent.locator(".parent-periods li")).toHaveCount(3);

    await fillReport(parent, "Dev", "2026-12-03", "Illness");
    await parent.getByLabel(/Anything we should know/).fill("Tummy bug overnight");
    await parent.getByRole("button", { name: "Send" }).tap();
    await expect(parent.locator(".report-status")).toContainText(
      "Thank you. We have your message: Thursday 3 December 2026: Illness.",
    );
    await expect(parent.locator(".report-list")).toContainText("Thursday 3 December 2026: Illness");

    // Another family's child is "not found", by page and by server function.
    await signInRequest(managerApi, MANAGER);
    const toddlers = await serverRegister(managerApi, await roomIdByName(managerApi, "Toddlers"));
    const alfie = toddlers.find((child) => child.first_name === "Alfie")!;
    const day = await parent.goto(`/children/${alfie.id}/days/2026-12-02`);
    expect(day?.status()).toBe(404);
    const other = await parent.request.post("/api/report-absence", {
      form: { id: crypto.randomUUID(), child: alfie.id, first_day: "2026-12-04", reason: "illness" },
    });
    expect(other.status()).toBe(404);

    const room = await tablet.newPage();
    await enrolTablet(room, "Babies", { database, pretendNow: evening, startedAt: Date.now() });

    // Thursday morning, after the sessions started: the same database, the clock moved on.
    await stopServer(server);
    server = await startServer({ port, database, siteRoot: site, pretendNow: "2026-12-03T09:45:00Z" });
    await room.reload();
    await hydrated(room);
    await expect(card(room, "Dev Davies")).toContainText(
      "Expected absent: Illness (reported by parent on Wed 2 Dec)",
    );
    await expect(room.getByText("Tummy bug")).toHaveCount(0);

    // Marking Dev absent, the parent's reason is chosen already.
    await chooseMarker(room);
    await room.getByRole("button", { name: "Options for Dev Davies" }).tap();
    await room.getByRole("dialog").getByRole("button", { name: "Mark absent" }).tap();
    const sheet = room.getByRole("dialog", { name: "Mark absent: Dev Davies" });
    await expect(sheet.getByRole("radio", { name: "Illness" })).toBeChecked();
    await expect(sheet.getByRole("button", { name: "Mark absent" })).toBeEnabled();
    await sheet.getByRole("button", { name: "Cancel" }).tap();

    const morning = await manager.newPage();
    await signIn(morning, MANAGER);
    await morning.goto("/manage/morning");
    await hydrated(morning);
    const calls = morning.locator("section", { has: morning.locator("#calls-heading") });
    await expect(calls.locator(".call-list")).not.toContainText("Dev Davies");
    await expect(calls.locator(".call-list li").first()).toBeVisible();
    const told = morning.locator("section", { has: morning.locator("#reported-heading") });
    await expect(told).toContainText("Dev Davies");
    await expect(told).toContainText("Note: Tummy bug overnight");
  } finally {
    await phone.close();
    await tablet.close();
    await manager.close();
    await managerApi.dispose();
    await stopServer(server);
    rmSync(work, { recursive: true, force: true });
  }
});

test("a report made offline waits on the phone and is sent once when back online", async ({ browser }) => {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await signIn(page, "parent2@example.org");
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 2, name: "Alfie" })).toBeVisible();

  await fillReport(page, "Alfie", "2026-12-04", "Holiday");
  await context.setOffline(true);
  await page.getByRole("button", { name: "Send" }).tap();
  const status = page.locator(".report-status");
  await expect(status).toContainText("Waiting to send: Friday 4 December 2026: Holiday");
  expect(
    await page.evaluate(() => localStorage.getItem("here-today.parent-reports")),
    "the report is kept on the phone",
  ).toContain("2026-12-04");

  await context.setOffline(false);
  await expect(status).toContainText("Thank you. We have your message", { timeout: 30_000 });
  await expect(status).not.toContainText("Waiting to send");
  const reports = page.locator(".report-list li");
  await expect(reports).toHaveCount(1);
  await expect(reports).toContainText("Friday 4 December 2026: Holiday");

  // Withdrawing needs a confirmation: "Keep it" leaves the report, "Yes, withdraw" removes it from the
  // list (and leaves the shared server as it was).
  await reports.getByRole("button", { name: "Withdraw" }).tap();
  await reports.getByRole("button", { name: "Keep it" }).tap();
  await expect(reports).toHaveCount(1);
  await reports.getByRole("button", { name: "Withdraw" }).tap();
  await expect(reports.getByRole("group", { name: "Withdraw this message?" })).toBeVisible();
  await reports.getByRole("button", { name: "Yes, withdraw" }).tap();
  await expect(page.locator(".report-list")).toHaveCount(0);
  await context.close();
});

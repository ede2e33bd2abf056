// Takes screenshots of each screen at tablet and phone sizes, for reviewing the design:
//   node screenshots.mjs http://127.0.0.1:3000 ../target/screenshots
// The server must be serving the demo nursery (`--demo`) with a fresh database, because the
// script signs in with the demo accounts and enrols one tablet per size.
// Set ONLY_FOLLOWUP=1 to take just the manager's follow-up screens.
// Besides the sign-in, enrolment, manager's, parent's, rooms, register and whole-setting
// screens and each slide of the lobby display (also at TV size), it shows the register's
// "Who is marking?" sheet and PIN keypad, the register offline with marks waiting, and with a
// mark the server rejected.
import { chromium } from "@playwright/test";
import { mkdirSync } from "node:fs";

const base = process.argv[2] ?? "http://127.0.0.1:3000";
const out = process.argv[3] ?? "../target/screenshots";
mkdirSync(out, { recursive: true });

const sizes = {
  "tablet-portrait": { width: 820, height: 1180 },
  "tablet-landscape": { width: 1280, height: 800 },
  phone: { width: 360, height: 740 },
};

const PASSWORD = "demo-password";
const PIN = "1234";

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});

async function hydrated(page) {
  await page.waitForSelector("html[data-hydrated]");
}

async function open(page, path) {
  await page.goto(base + path);
  await hydrated(page);
}

async function signIn(page, email) {
  await open(page, "/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).tap();
  await page.waitForURL((url) => url.pathname !== "/sign-in");
  await hydrated(page);
}

/** Takes the sign-in and enrolment screens, as shown to someone not signed in. */
async function anonymousScreens(viewport, name) {
  const context = await browser.newContext({ viewport, hasTouch: true, locale: "en-GB" });
  const page = await context.newPage();
  await open(page, "/sign-in");
  await page.screenshot({ path: `${out}/${name}-sign-in.png` });
  await open(page, "/enrol");
  await page.screenshot({ path: `${out}/${name}-enrol.png` });
  await context.close();
}

/** Takes the manager's screens on a signed-in page, and returns a code for a Pre-school tablet. */
async function managerScreens(page, name) {
  await page.getByRole("heading", { level: 1, name: "Choose your room" }).waitFor();
  await page.screenshot({ path: `${out}/${name}-rooms.png` });

  await open(page, "/manage/devices");
  await page.getByLabel("Name").fill(`Pre-school tablet (${name})`);
  await page.getByLabel("Room").selectOption({ label: "Pre-school" });
  await page.getByRole("button", { name: "Make pairing code" }).tap();
  const code = (await page.locator(".pairing-code").innerText()).trim();
  await page.screenshot({ path: `${out}/${name}-devices.png`, fullPage: true });

  for (const [path, file] of [
    ["/manage/accounts", "accounts"],
    ["/manage/audit", "audit"],
    ["/account", "account"],
  ]) {
    await open(page, path);
    await page.getByRole("heading", { level: 1 }).waitFor();
    await page.screenshot({ path: `${out}/${name}-${file}.png`, fullPage: true });
  }
  return code;
}

/** Enrols a tablet with `code` and takes the register, the PIN sheet and the sync states. */
async function tabletScreens(viewport, name, code) {
  const context = await browser.newContext({ viewport, hasTouch: true, locale: "en-GB" });
  const page = await context.newPage();
  await open(page, "/enrol");
  await page.getByLabel("Pairing code").fill(code);
  await page.getByRole("button", { name: "Enrol" }).tap();
  await page.waitForURL((url) => url.pathname === "/");
  await hydrated(page);
  await page.waitForSelector(".sync-status.tone-saved");
  await page.screenshot({ path: `${out}/${name}-register.png` });

  await page.locator(".staff-picker").getByRole("button").tap();
  const sheet = page.getByRole("dialog", { name: "Who is marking?" });
  await sheet.waitFor();
  await page.screenshot({ path: `${out}/${name}-pin-names.png` });
  await sheet.locator(".name-choices").getByRole("button").first().tap();
  await page.getByRole("dialog").getByRole("button", { name: "1", exact: true }).tap();
  await page.screenshot({ path: `${out}/${name}-pin-keypad.png` });
  for (const digit of PIN.slice(1)) {
    await page.getByRole("dialog").getByRole("button", { name: digit, exact: true }).tap();
  }
  await page.getByRole("dialog").waitFor({ state: "detached" });

  await context.setOffline(true);
  const expected = page.getByRole("button", { name: /, Expected, / });
  for (let index = 0; index < 3; index += 1) {
    await expected.first().tap();
    await page.waitForTimeout(900);
  }
  await page.screenshot({ path: `${out}/${name}-register-offline.png` });
  await context.setOffline(false);
  await page.waitForSelector(".sync-status.tone-saved");

  // A mark for a child the server does not know, as if withdrawn since: the server rejects it.
  await page.evaluate(() => {
    const event = {
      id: crypto.randomUUID(),
      child_id: crypto.randomUUID(),
      date: "2026-12-02",
      occurred_at: "2026-12-02T09:20:00Z",
      recorded_at: null,
      staff_id: null,
      device_id: "screenshot",
      kind: "arrived",
    };
    localStorage.setItem(
      "here-today.outbox",
      JSON.stringify({ format: 1, saved_at: new Date().toISOString(), data: { pending: [event], rejected: [] } }),
    );
  });
  await page.reload();
  await hydrated(page);
  await page.waitForSelector(".rejected");
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${out}/${name}-register-rejected.png` });
  await context.close();
}

/** Takes the follow-up screens: morning view, dashboard, a child's page, a letter, templates
 * and thresholds. */
async function followupScreens(page, name) {
  const shots = [
    ["/manage/morning", "morning"],
    ["/manage/attendance", "attendance"],
    ["/manage/letters", "letters"],
    ["/manage/rules", "rules"],
    ["/manage/import", "import"],
  ];
  for (const [path, file] of shots) {
    await open(page, path);
    await page.getByRole("heading", { level: 1 }).first().waitFor();
    await page.screenshot({ path: `${out}/${name}-${file}.png`, fullPage: true });
  }
  await open(page, "/manage/morning");
  const child = page.getByRole("link", { name: "Oscar Bennett" }).first();
  const href = await child.getAttribute("href");
  await open(page, href);
  await page.getByRole("heading", { level: 1, name: "Oscar Bennett" }).waitFor();
  await page.screenshot({ path: `${out}/${name}-child.png`, fullPage: true });
  await open(page, `${href}/letters/concern`);
  await page.getByRole("button", { name: "Record as sent" }).waitFor();
  await page.screenshot({ path: `${out}/${name}-letter.png`, fullPage: true });
}

/** Takes a parent's page of their own children. */
async function parentScreen(viewport, name) {
  const context = await browser.newContext({ viewport, hasTouch: true, locale: "en-GB" });
  const page = await context.newPage();
  await signIn(page, "parent@example.org");
  await open(page, "/my");
  await page.getByRole("heading", { level: 1, name: "Your children" }).waitFor();
  await page.screenshot({ path: `${out}/${name}-my.png`, fullPage: true });
  // The report form and the term's calendar, opened.
  await page.locator(".report-absence summary").first().click();
  await page.locator(".term-calendar summary").first().click();
  await page.screenshot({ path: `${out}/${name}-my-open.png`, fullPage: true });
  await context.close();
}

/** Takes each slide of the lobby display, as a manager's preview, and the manager's page for its
 * messages. The page's timers run on a test clock, so each slide is taken once. */
async function lobbyScreens(context, name) {
  const page = await context.newPage();
  await open(page, "/manage/lobby");
  await page.screenshot({ path: `${out}/${name}-manage-lobby.png`, fullPage: true });
  await page.clock.install();
  await open(page, "/lobby");
  const slide = page.locator(".lobby-slide");
  const count = Number((await page.locator(".lobby-count").innerText()).split(" of ")[1]);
  for (let n = 0; n < count; n++) {
    const key = await slide.getAttribute("data-slide");
    // Past the slide's fade-in.
    await page.waitForTimeout(900);
    await page.screenshot({ path: `${out}/${name}-lobby-${key}.png` });
    while ((await slide.getAttribute("data-slide")) === key) await page.clock.runFor(1_000);
  }
  await page.close();
}

for (const [name, viewport] of Object.entries(sizes)) {
  await anonymousScreens(viewport, name);
  // One manager sign-in per size: the server allows 5 sign-ins to an account, then one a minute.
  const office = await browser.newContext({ viewport, hasTouch: true, locale: "en-GB" });
  const manager = await office.newPage();
  await signIn(manager, "manager@example.org");
  const code = await managerScreens(manager, name);
  await followupScreens(manager, name);
  await tabletScreens(viewport, name, code);
  // The whole setting today, after the tablet's marks.
  await open(manager, "/today");
  await manager.screenshot({ path: `${out}/${name}-today.png`, fullPage: true });
  await lobbyScreens(office, name);
  await office.close();
  await parentScreen(viewport, name);
}
// The lobby display on a TV in the entrance hall.
const hall = await browser.newContext({ viewport: { width: 1920, height: 1080 }, hasTouch: true, locale: "en-GB" });
await signIn(await hall.newPage(), "manager@example.org");
await lobbyScreens(hall, "tv");
await hall.close();
await browser.close();

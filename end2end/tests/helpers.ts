import {
  expect,
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type Page,
} from "@playwright/test";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { PRETEND_NOW } from "../playwright.config";

/** A portrait tablet with touch, like the room iPads and Android tablets settings use. */
export const TABLET = { viewport: { width: 820, height: 1180 }, hasTouch: true, locale: "en-GB" };

/** A small phone with touch, as a parent or carer might use. */
export const PHONE = { viewport: { width: 360, height: 740 }, hasTouch: true, locale: "en-GB" };

/** The password of every demo account. */
export const DEMO_PASSWORD = "demo-password";

/** The room tablet PIN of every demo staff member. */
export const DEMO_PIN = "1234";

/** The demo manager, who reaches every room and the manager's pages. */
export const MANAGER = "manager@example.org";

const root = resolve(__dirname, "../..");

/** The server binary, the same one the config serves. */
export const BINARY = process.env.HT_BINARY ?? join(root, "target/debug/here-today");

/** A running server: its database file, and the pretend instant its clock started at. */
export type ServerUnderTest = {
  database: string;
  pretendNow: string;
  /** `Date.now()` when the server was started. Its clock has run in real time since. */
  startedAt: number;
};

/** Returns the server that playwright.config.ts starts for the whole run. */
export function e2eServer(): ServerUnderTest {
  return {
    database: process.env.HT_E2E_DB!,
    pretendNow: PRETEND_NOW,
    startedAt: Number(process.env.HT_E2E_STARTED_AT),
  };
}

/**
 * Returns an estimate of the server's clock: its pretend start plus the real time since it
 * started. `startedAt` is taken just before the server starts, so the estimate is a few seconds
 * ahead at most.
 */
function serverNow(server: ServerUnderTest): Date {
  return new Date(Date.parse(server.pretendNow) + Date.now() - server.startedAt);
}

/** Runs `here-today pairing-code` with `options`, dated by the server's clock so that the
 * code's 15 minutes have not already run out there, and returns the code it prints. */
function runPairingCode(options: string[], server: ServerUnderTest): string {
  const output = execFileSync(
    BINARY,
    ["--database", server.database, "--pretend-now", serverNow(server).toISOString(), "pairing-code", ...options],
    { cwd: root, encoding: "utf8", env: { ...process.env, RUST_LOG: "warn" } },
  );
  const code = output.trim().split("\n").pop() ?? "";
  expect(code, "the pairing-code command prints a code").toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  return code;
}

/** Makes a pairing code for a tablet in `room`. */
export function pairingCode(room: string, server: ServerUnderTest = e2eServer()): string {
  return runPairingCode(["--room", room, "--name", `${room} tablet`], server);
}

/** Makes a pairing code for a lobby display (no room) named `name`. */
export function lobbyPairingCode(name: string, server: ServerUnderTest = e2eServer()): string {
  return runPairingCode(["--name", name], server);
}

/** Waits until the WASM has hydrated the page, so taps reach the app. */
export async function hydrated(page: Page) {
  await expect(page.locator("html[data-hydrated]")).toHaveCount(1);
}

/** Enrols the page's browser context as a room tablet with `code`, which opens on `/`. */
export async function enrolWithCode(page: Page, code: string) {
  await page.goto("/enrol");
  await hydrated(page);
  await page.getByLabel("Pairing code").fill(code);
  await page.getByRole("button", { name: "Enrol" }).tap();
  await page.waitForURL((url) => url.pathname === "/");
  await hydrated(page);
}

/** Enrols the page's browser context as a tablet of `room` and waits for its register. */
export async function enrolTablet(page: Page, room: string, server: ServerUnderTest = e2eServer()) {
  await enrolWithCode(page, pairingCode(room, server));
  await expect(page.getByRole("heading", { level: 1, name: room })).toBeVisible();
}

/** Returns the "Marking as" button of a room tablet's register. */
export function markerButton(page: Page) {
  return page.locator(".staff-picker").getByRole("button");
}

/** Taps the digits of `pin` on the open keypad. */
export async function enterPin(page: Page, pin: string) {
  const keypad = page.getByRole("dialog");
  for (const digit of pin) {
    await keypad.getByRole("button", { name: digit, exact: true }).tap();
  }
}

/**
 * Chooses who is marking on a room tablet: taps "Marking as", then `name` (the first name
 * listed when none is given), then the demo PIN. Returns the name chosen.
 */
export async function chooseMarker(page: Page, name?: string): Promise<string> {
  await markerButton(page).tap();
  const sheet = page.getByRole("dialog", { name: "Who is marking?" });
  const names = sheet.locator(".name-choices");
  const choice =
    name === undefined ? names.getByRole("button").first() : names.getByRole("button", { name, exact: true });
  const chosen = (await choice.innerText()).trim();
  await choice.tap();
  await expect(page.getByRole("dialog", { name: chosen })).toBeVisible();
  await enterPin(page, DEMO_PIN);
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(markerButton(page)).toHaveText(chosen);
  return chosen;
}

/**
 * Makes the page's browser context a room tablet of `room`, enrolled with a pairing code, and
 * chooses the first staff member listed, with their PIN. Returns that staff member's name.
 */
export async function openRoom(page: Page, room: string, server?: ServerUnderTest): Promise<string> {
  await enrolTablet(page, room, server);
  return chooseMarker(page);
}

/** Signs in on the sign-in page with a demo account, and waits to leave the page. */
export async function signIn(page: Page, email: string) {
  await page.goto("/sign-in");
  await hydrated(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).tap();
  await page.waitForURL((url) => url.pathname !== "/sign-in");
}

/** Signs an API request context in with a demo account, as the sign-in form would. */
export async function signInRequest(request: APIRequestContext, email: string) {
  const response = await request.post("/api/sign-in", {
    form: { email, password: DEMO_PASSWORD, next: "/" },
  });
  expect(response.ok(), `sign-in as ${email}: ${response.status()}`).toBe(true);
}

/** Opens a room's register from a signed-in manager's or practitioner's room list. */
export async function openRoomFromList(page: Page, room: string) {
  await page.goto("/");
  await hydrated(page);
  // Room links load the register as a whole page, so it can open offline later.
  await page.getByRole("link", { name: new RegExp(`^${room}`) }).tap();
  await page.waitForURL(/\/rooms\//);
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1, name: room })).toBeVisible();
}

/** Returns the id of the room called `room`, read from a signed-in manager's room list. */
export async function roomIdByName(manager: APIRequestContext, room: string): Promise<string> {
  const html = await (await manager.get("/")).text();
  const links = [...html.matchAll(/href="\/rooms\/([0-9a-f-]{36})"[^>]*>\s*<span class="room-name">([^<]+)</g)];
  const found = links.find(([, , name]) => name === room);
  expect(found, `a link to the ${room} room on the manager's room list`).toBeDefined();
  return found![1];
}

/** A mark as the server stores it, in a sync reply. */
export type ServerEvent = { id: string; child_id: string; kind: string; date: string };

/** A child's card as the server sends it, in a sync reply. */
export type ServerCard = { id: string; first_name: string; last_name: string; events: ServerEvent[] };

/**
 * Reads a room's register from the server the way a new tablet does: a sync with no cursor.
 * `manager` is a request context signed in as a manager, who may sync any room.
 */
export async function serverRegister(manager: APIRequestContext, roomId: string): Promise<ServerCard[]> {
  const response = await manager.post("/api/sync", {
    data: {
      device_id: "e2e-checker",
      room_id: roomId,
      cursor: null,
      device_now: new Date().toISOString(),
      events: [],
    },
  });
  expect(response.status()).toBe(200);
  const body = await response.json();
  return body.register.children as ServerCard[];
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

/** Opens a second tablet of `room` in its own browser context, with its own enrolment. */
export async function secondTablet(
  browser: Browser,
  room: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(TABLET);
  const page = await context.newPage();
  await openRoom(page, room);
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

/** Returns a free TCP port on the loopback address. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => done(port));
    });
  });
}

/** Where and when a server of a test's own runs: its port, database, site files and clock. */
export type OwnServer = { port: number; database: string; siteRoot: string; pretendNow: string };

/**
 * Starts a server of the test's own with the demo nursery (made only when the database is
 * empty), and waits until it answers.
 */
export async function startServer(own: OwnServer): Promise<ChildProcess> {
  const server = spawn(BINARY, ["--demo"], {
    cwd: root,
    stdio: "ignore",
    env: {
      ...process.env,
      HERE_TODAY_DATABASE: own.database,
      HERE_TODAY_BIND: `127.0.0.1:${own.port}`,
      HERE_TODAY_PRETEND_NOW: own.pretendNow,
      LEPTOS_SITE_ROOT: own.siteRoot,
      LEPTOS_OUTPUT_NAME: "here-today",
      RUST_LOG: "warn",
    },
  });
  for (let attempt = 0; attempt < 150; attempt += 1) {
    try {
      if ((await fetch(`http://127.0.0.1:${own.port}/health`)).ok) return server;
    } catch {
      // Not listening yet.
    }
    await new Promise((done) => setTimeout(done, 200));
  }
  server.kill();
  throw new Error(`the server on port ${own.port} did not start`);
}

/** Stops a server started by [`startServer`] and waits for it to exit. */
export async function stopServer(server: ChildProcess) {
  const exited = new Promise((done) => server.once("exit", done));
  server.kill("SIGINT");
  await exited;
}

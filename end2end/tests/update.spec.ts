import { test, expect, type Page } from "@playwright/test";
import { appendFileSync, cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  MANAGER,
  TABLET,
  card,
  expectedChildren,
  freePort,
  hydrated,
  openRoom,
  roomIdByName,
  serverRegister,
  signInRequest,
  startServer,
  stopServer,
  syncStatus,
  type ServerUnderTest,
} from "./helpers";

// A new deployment while a tablet has marks waiting: the same database served first by one
// build and then by another (the same files with one CSS comment added, so a new build name).

const root = resolve(__dirname, "../..");
const site = process.env.HT_SITE_ROOT ?? join(root, "target/site");
const PRETEND_NOW = "2026-12-02T09:30:00Z";

async function buildOf(page: Page): Promise<string> {
  return (await page.locator('meta[name="here-today-build"]').getAttribute("content")) ?? "";
}

test("a new deployment keeps waiting marks and replaces the offline copy", async ({ browser, playwright }) => {
  test.setTimeout(120_000);
  const work = mkdtempSync(join(tmpdir(), "here-today-update-"));
  const first = join(work, "site-first");
  const second = join(work, "site-second");
  cpSync(site, first, { recursive: true });
  cpSync(site, second, { recursive: true });
  appendFileSync(join(second, "pkg/here-today.css"), "\n/* the next release */\n");
  const port = await freePort();
  const database = join(work, "update.db");
  const baseURL = `http://127.0.0.1:${port}`;
  const firstServer: ServerUnderTest = { database, pretendNow: PRETEND_NOW, startedAt: Date.now() };
  let server = await startServer({ port, database, siteRoot: first, pretendNow: PRETEND_NOW });
  const context = await browser.newContext({ ...TABLET, baseURL });
  const manager = await playwright.request.newContext({ baseURL });
  try {
    const page = await context.newPage();
    await openRoom(page, "Toddlers", firstServer);
    const oldBuild = await buildOf(page);
    await expect
      .poll(() => page.evaluate(async () => (await caches.match(location.pathname)) !== undefined))
      .toBe(true);

    await context.setOffline(true);
    const two = (await expectedChildren(page)).slice(0, 2);
    for (const child of two) {
      await card(page, child).tap();
      await expect(card(page, child)).toContainText("Waiting to send");
    }

    // The new build goes live. The tablet loads it while its marks still cannot be sent.
    await stopServer(server);
    server = await startServer({ port, database, siteRoot: second, pretendNow: PRETEND_NOW });
    await context.route("**/api/sync", (route) => route.abort("internetdisconnected"));
    await context.setOffline(false);
    await page.reload();
    await hydrated(page);
    const newBuild = await buildOf(page);
    expect(newBuild).not.toBe(oldBuild);
    await expect(page.locator(".app-bar .build")).toContainText(newBuild);
    for (const child of two) {
      await expect(card(page, child)).toContainText("Waiting to send");
    }
    await expect(syncStatus(page)).toContainText("2 marks waiting");

    // The new build's worker takes over and keeps only its own cache, with the register.
    await expect
      .poll(() => page.evaluate(() => caches.keys()), { timeout: 30_000 })
      .toEqual([`here-today-${newBuild}`]);
    await expect
      .poll(() => page.evaluate(async () => (await caches.match(location.pathname)) !== undefined))
      .toBe(true);

    // The network returns: the marks made under the old build are stored once.
    await context.unroute("**/api/sync");
    await page.getByRole("button", { name: "Send now" }).tap();
    await expect(syncStatus(page)).toHaveText(/All marks saved/, { timeout: 30_000 });
    await signInRequest(manager, MANAGER);
    const children = await serverRegister(manager, await roomIdByName(manager, "Toddlers"));
    for (const name of two) {
      const child = children.find((c) => `${c.first_name} ${c.last_name}` === name)!;
      expect(child.events.map((event) => event.kind), name).toEqual(["arrived"]);
    }

    // Offline again, the tablet reopens into the new build.
    await context.setOffline(true);
    const reopened = await page.reload();
    expect(reopened?.fromServiceWorker()).toBe(true);
    await hydrated(page);
    expect(await buildOf(page)).toBe(newBuild);
    for (const child of two) {
      await expect(card(page, child)).toHaveAccessibleName(/Here since/);
      await expect(card(page, child)).not.toContainText("Waiting to send");
    }
  } finally {
    await manager.dispose();
    await context.close();
    await stopServer(server);
    rmSync(work, { recursive: true, force: true });
  }
});

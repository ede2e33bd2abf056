// Playwright runs the built `here-today` binary on a free loopback port with a fresh demo
// database, and drives Debian's Chromium (never a downloaded browser).
// HT_BINARY and HT_SITE_ROOT point the tests at a copy of a build (the binary and the
// target/site folder made together by `cargo leptos build`), so that a later `cargo build`
// cannot swap the binary under a run.
import { defineConfig } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(__dirname, "..");

// The config is loaded again in each worker; the first load picks the port and the database
// and the workers inherit them through the environment.
if (!process.env.HT_E2E_PORT) {
  const script =
    "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})";
  process.env.HT_E2E_PORT = execFileSync(process.execPath, ["-e", script]).toString().trim();
  process.env.HT_E2E_DB = join(mkdtempSync(join(tmpdir(), "here-today-e2e-")), "e2e.db");
  // Taken before the server starts: helpers.ts adds the time since to PRETEND_NOW to estimate
  // the server's clock, for pairing codes made with the command line.
  process.env.HT_E2E_STARTED_AT = String(Date.now());
}
const port = process.env.HT_E2E_PORT;

/** The moment the server's clock starts at: Wednesday 2 December 2026, 09:30 in London. */
export const PRETEND_NOW = "2026-12-02T09:30:00Z";

export default defineConfig({
  testDir: "./tests",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: "chromium",
    // UK English, so date fields read day/month/year as they do for a nursery in England.
    locale: "en-GB",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
    trace: "off",
  },
  webServer: {
    command: `${process.env.HT_BINARY ?? join(root, "target/debug/here-today")} --demo`,
    cwd: root,
    url: `http://127.0.0.1:${port}/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      HERE_TODAY_DATABASE: process.env.HT_E2E_DB!,
      HERE_TODAY_BIND: `127.0.0.1:${port}`,
      HERE_TODAY_PRETEND_NOW: PRETEND_NOW,
      LEPTOS_SITE_ROOT: process.env.HT_SITE_ROOT ?? join(root, "target/site"),
      LEPTOS_OUTPUT_NAME: "here-today",
      RUST_LOG: "warn",
    },
  },
});

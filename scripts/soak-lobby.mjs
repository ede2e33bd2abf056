#!/usr/bin/env node
// Soak test of the lobby display: opens the manager's preview at /lobby?fast=1 (slides turn
// every 1.5 s and data refreshes every 2 s) against a running server with the demo data, lets
// it run, and compares the JS heap, the WASM memory and the DOM element count at the start and
// the end.
//
// Usage: node scripts/soak-lobby.mjs [BASE_URL] [MINUTES]
//   BASE_URL defaults to http://127.0.0.1:3000, MINUTES to 5.
// Needs the npm packages in end2end/ and Debian's Chromium at /usr/bin/chromium.
import { createRequire } from "node:module";

const require = createRequire(new URL("../end2end/package.json", import.meta.url));
const { chromium } = require("@playwright/test");

const base = process.argv[2] ?? "http://127.0.0.1:3000";
const minutes = Number(process.argv[3] ?? 5);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"],
});
const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
const page = await context.newPage();

// The demo manager's preview runs the same code as an enrolled display.
const signIn = await page.request.post(`${base}/api/sign-in`, {
  form: { email: "manager@example.org", password: "demo-password", next: "/" },
});
if (!signIn.ok()) throw new Error(`sign-in failed with status ${signIn.status()}`);

let refreshes = 0;
page.on("response", (response) => {
  if (response.url().endsWith("/api/lobby") && response.ok()) refreshes += 1;
});
let turns = 0;
await page.exposeFunction("soakTurned", () => {
  turns += 1;
});

await page.goto(`${base}/lobby?fast=1`);
await page.waitForSelector("html[data-hydrated]");
// Counts slide turns: each turn shows a slide with another data-slide name.
await page.evaluate(() => {
  let shown = null;
  new MutationObserver(() => {
    const now = document.querySelector(".lobby-slide")?.dataset.slide;
    if (now !== shown) {
      shown = now;
      window.soakTurned();
    }
  }).observe(document.querySelector(".lobby-display"), {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ["data-slide"],
  });
});

const cdp = await context.newCDPSession(page);
await cdp.send("Performance.enable");

/** Returns the total size of the page's WebAssembly memories, which the JS heap leaves out. */
async function wasmMemoryKiB() {
  const { result: prototype } = await cdp.send("Runtime.evaluate", {
    expression: "WebAssembly.Memory.prototype",
  });
  const { objects } = await cdp.send("Runtime.queryObjects", {
    prototypeObjectId: prototype.objectId,
  });
  const { result } = await cdp.send("Runtime.callFunctionOn", {
    objectId: objects.objectId,
    functionDeclaration: "function () { return this.reduce((sum, m) => sum + m.buffer.byteLength, 0); }",
    returnByValue: true,
  });
  return Math.round(result.value / 1024);
}

/** Samples on the first slide, so that element counts compare the same slide. */
async function sample() {
  await page.waitForSelector('.lobby-slide[data-slide="setting"]', { timeout: 120_000 });
  await cdp.send("HeapProfiler.collectGarbage");
  const heap = await cdp.send("Runtime.getHeapUsage");
  const wasmKiB = await wasmMemoryKiB();
  const elements = await page.evaluate(() => document.getElementsByTagName("*").length);
  const metrics = Object.fromEntries(
    (await cdp.send("Performance.getMetrics")).metrics.map((m) => [m.name, m.value]),
  );
  return {
    heapUsedKiB: Math.round(heap.usedSize / 1024),
    wasmKiB,
    elements,
    domNodes: metrics.Nodes,
    listeners: metrics.JSEventListeners,
  };
}

// Let the first turns and refreshes settle before the first sample.
await page.waitForTimeout(10_000);
const start = { ...(await sample()), turns, refreshes };
console.log("start", JSON.stringify(start));
const end = Date.now() + minutes * 60_000;
while (Date.now() < end) {
  await page.waitForTimeout(Math.min(60_000, end - Date.now()));
  console.log("sample", JSON.stringify({ ...(await sample()), turns, refreshes }));
}
const last = { ...(await sample()), turns, refreshes };
console.log("end", JSON.stringify(last));
console.log(
  `over ${minutes} min: ${last.turns - start.turns} slide turns, ${last.refreshes - start.refreshes} refreshes; ` +
    `JS heap ${start.heapUsedKiB} KiB -> ${last.heapUsedKiB} KiB; ` +
    `WASM memory ${start.wasmKiB} KiB -> ${last.wasmKiB} KiB; elements ${start.elements} -> ${last.elements}; ` +
    `listeners ${start.listeners} -> ${last.listeners}`,
);
await browser.close();

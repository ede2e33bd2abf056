// Takes screenshots of each screen at tablet and phone sizes, for reviewing the design:
//   node screenshots.mjs http://127.0.0.1:3000 ../target/screenshots
// Besides the rooms, register and whole-setting screens, it shows the register offline with
// marks waiting, and with a mark the server rejected.
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

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});

async function hydrated(page) {
  await page.waitForSelector("html[data-hydrated]");
}

for (const [name, viewport] of Object.entries(sizes)) {
  const context = await browser.newContext({ viewport, hasTouch: true });
  const page = await context.newPage();
  await page.goto(base + "/");
  await hydrated(page);
  await page.screenshot({ path: `${out}/${name}-rooms.png` });
  const href = await page.getByRole("link", { name: /Pre-school/ }).getAttribute("href");
  await page.goto(base + href);
  await hydrated(page);
  await page.waitForSelector(".sync-status.tone-saved");
  await page.screenshot({ path: `${out}/${name}-register.png` });

  await page.getByLabel("Marking as").selectOption({ index: 1 });
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
    const outbox = JSON.parse(localStorage.getItem("here-today.outbox"));
    const staff = outbox?.data ? null : null;
    const event = {
      id: crypto.randomUUID(),
      child_id: crypto.randomUUID(),
      date: "2026-12-02",
      occurred_at: "2026-12-02T09:20:00Z",
      recorded_at: null,
      staff_id: staff,
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

  await page.goto(base + "/today");
  await hydrated(page);
  await page.screenshot({ path: `${out}/${name}-today.png`, fullPage: true });
  await context.close();
}
await browser.close();

// Takes screenshots of each screen at tablet and phone sizes, for reviewing the design:
//   node screenshots.mjs http://127.0.0.1:3000 ../target/screenshots
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
for (const [name, viewport] of Object.entries(sizes)) {
  const page = await browser.newPage({ viewport, hasTouch: true });
  await page.goto(base + "/");
  await page.waitForSelector("html[data-hydrated]");
  await page.screenshot({ path: `${out}/${name}-rooms.png`, fullPage: false });
  const room = page.getByRole("link", { name: /Pre-school/ });
  const href = await room.getAttribute("href");
  await page.goto(base + href);
  await page.waitForSelector("html[data-hydrated]");
  await page.screenshot({ path: `${out}/${name}-register.png`, fullPage: false });
  await page.goto(base + "/today");
  await page.screenshot({ path: `${out}/${name}-today.png`, fullPage: false });
  await page.close();
}
await browser.close();

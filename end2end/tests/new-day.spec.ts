import { test, expect } from "@playwright/test";
import { TABLET, card, expectedChildren, hydrated, openRoom } from "./helpers";

test.use(TABLET);

test("register left open overnight reloads for the new day", async ({ page }) => {
  await page.clock.install();
  await openRoom(page, "Babies");
  const [child] = await expectedChildren(page);
  await page.evaluate(() => ((window as unknown as { beforeMidnight: boolean }).beforeMidnight = true));

  // The server's clock stays on Wednesday; the tablet's clock moves 15 hours on, past
  // midnight. The minute check finds the register out of date and reloads it.
  const reloaded = page.waitForEvent("load");
  await page.clock.fastForward("15:00:00");
  await reloaded;
  await hydrated(page);
  expect(await page.evaluate(() => "beforeMidnight" in window)).toBe(false);
  await expect(card(page, child)).toHaveAccessibleName(/, Expected,/);
});

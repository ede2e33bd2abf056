import { test, expect, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { TABLET, card, expectedChildren, hydrated, openRoom } from "./helpers";

const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

async function expectNoViolations(page: Page, screen: string) {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length} nodes)`);
  expect(summary, `${screen} has WCAG 2.2 AA violations`).toEqual([]);
}

/** Lists visible interactive elements smaller than 48 by 48 CSS pixels. */
async function smallTargets(page: Page): Promise<string[]> {
  const { checked, small } = await page.evaluate(() => {
    const selector = "button, a[href], select, input:not([type=radio]), textarea, label.choice";
    const visible = Array.from(document.querySelectorAll<HTMLElement>(selector)).filter(
      (el) => el.getClientRects().length > 0,
    );
    const tooSmall = visible.filter((el) => {
      const box = el.getBoundingClientRect();
      return box.width < 48 || box.height < 48;
    });
    const describe = (el: HTMLElement) =>
      `${el.tagName.toLowerCase()} "${(el.getAttribute("aria-label") ?? el.textContent ?? "").trim()}"`;
    return { checked: visible.length, small: tooSmall.map(describe) };
  });
  expect(checked, "some targets were measured").toBeGreaterThan(0);
  return small;
}

test.use(TABLET);

test("screens meet WCAG 2.2 AA and 48 px targets", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  await expectNoViolations(page, "room chooser");
  expect(await smallTargets(page)).toEqual([]);

  await openRoom(page, "Pre-school");
  await expectNoViolations(page, "register");
  expect(await smallTargets(page)).toEqual([]);

  const [child] = await expectedChildren(page);
  await page.getByRole("button", { name: `Options for ${child}` }).tap();
  await page.getByRole("dialog").getByRole("button", { name: "Mark absent" }).tap();
  await expectNoViolations(page, "absence sheet");
  expect(await smallTargets(page)).toEqual([]);
  await page.getByRole("button", { name: "Cancel" }).tap();

  await page.goto("/today");
  await hydrated(page);
  await expectNoViolations(page, "whole setting today");
});

test("register works at phone width", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true });
  const page = await context.newPage();
  await openRoom(page, "Babies");
  const children = await expectedChildren(page);
  const child = children[children.length - 1];
  await card(page, child).tap();
  await expect(card(page, child)).toHaveAccessibleName(/Here since/);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, "no sideways scrolling at 360 px").toBeLessThanOrEqual(0);
  await expectNoViolations(page, "register at phone width");
  await context.close();
});

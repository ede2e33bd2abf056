// Tests the manager's "Import past register" page, which reads a chosen file into its text box.
// The server checks every row and stores the whole file or none of it. Each test signs in once,
// because the server allows 5 sign-ins to an account and then one a minute.
//
// The imports use days of the summer term 2026. The demo history starts on 2 September 2026, so
// those days have no marks, and the children used here started before July 2026.
import { test, expect, type Page } from "@playwright/test";
import { MANAGER, TABLET, hydrated, signIn } from "./helpers";

const HEADER = "child,date,session,status,arrival,departure,reason,recorded_by";

/**
 * A past register for Monday 6 and Tuesday 7 July 2026. Maya Patel attends both days (late on
 * the Tuesday morning) and Freya Okafor attends the Monday and is ill on the Tuesday. Both are
 * booked for full days from Monday to Friday.
 */
const GOOD_ROWS = [
  HEADER,
  "Maya Patel,2026-07-06,am,attended,08:02,,,Cerys Reid",
  "Maya Patel,2026-07-06,pm,attended,,17:40,,Cerys Reid",
  "Maya Patel,2026-07-07,am,late,08:20,,,Cerys Reid",
  "Maya Patel,2026-07-07,pm,attended,,17:55,,Cerys Reid",
  "Freya Okafor,2026-07-06,am,attended,07:58,,,",
  "Freya Okafor,2026-07-06,pm,attended,,17:30,,",
  "Freya Okafor,2026-07-07,am,absent,,,illness,",
  "Freya Okafor,2026-07-07,pm,absent,,,illness,",
];

/** The same register with a misspelt child's name on line 5 of the file. */
const BAD_ROWS = GOOD_ROWS.map((row, index) => (index === 4 ? row.replace("Maya Patel", "Maya Pattel") : row));

/** Returns a CSV file for the file input, with a line break after every row. */
function csvFile(rows: string[]) {
  return { name: "past.csv", mimeType: "text/csv", buffer: Buffer.from(`${rows.join("\n")}\n`) };
}

/**
 * Downloads the figures export from `from` to `to` through the page's signed-in session, and
 * returns the row of the child called `child` as column name to value.
 */
async function childFigures(page: Page, from: string, to: string, child: string): Promise<Record<string, string>> {
  const response = await page.request.get(`/manage/export/figures.csv?from=${from}&to=${to}`);
  expect(response.status(), `the figures export from ${from} to ${to}`).toBe(200);
  const lines = (await response.text())
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .filter((line) => line !== "");
  // Names and rates in the demo contain no commas, so no value is quoted.
  const [header, ...rows] = lines.map((line) => line.split(","));
  expect(header).toEqual(["level", "name", "room", "possible", "attended", "rate", "late", "extra", "unexplained"]);
  const row = rows.find(([level, name]) => level === "child" && name === child);
  expect(row, `a row for ${child}, who was on roll, in the figures export`).toBeDefined();
  return Object.fromEntries(header.map((column, index) => [column, row![index]]));
}

/** Opens the import page of a signed-in manager. */
async function openImportPage(page: Page) {
  await page.goto("/manage/import");
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Import past register");
}

/** Returns the text box the chosen file is read into. */
function rowsBox(page: Page) {
  return page.getByLabel("Or paste the rows, with the header row first");
}

/** Returns the panel that lists the problems of a rejected file. */
function problems(page: Page) {
  return page.getByRole("alert").filter({ has: page.getByRole("heading", { name: "Nothing was imported" }) });
}

// A screenshot of a failed test goes into test-results, next to its error context.
test.use({ ...TABLET, screenshot: "only-on-failure" });

test("a manager imports a past register from a file", async ({ page }) => {
  await signIn(page, MANAGER);
  await openImportPage(page);

  const fileInput = page.getByLabel("Choose a CSV file");
  await fileInput.setInputFiles(csvFile(BAD_ROWS));
  await expect(rowsBox(page)).toHaveValue(`${BAD_ROWS.join("\n")}\n`);

  await page.getByRole("button", { name: "Import", exact: true }).tap();
  const rejected = problems(page);
  await expect(rejected).toBeVisible();
  await expect(rejected.getByRole("listitem")).toHaveText([
    'line 5: child "Maya Pattel" is not in this setting; check the spelling or import the child first',
  ]);
  await expect(page.getByRole("heading", { name: "Import finished" })).toHaveCount(0);

  // All or nothing: the valid rows of the rejected file, Freya's included, are not stored.
  const mayaBefore = await childFigures(page, "2026-07-06", "2026-07-07", "Maya Patel");
  expect(mayaBefore.attended, "Maya's attended sessions after the rejected file").toBe("0");
  const freyaBefore = await childFigures(page, "2026-07-06", "2026-07-07", "Freya Okafor");
  expect(freyaBefore.attended, "Freya's attended sessions after the rejected file").toBe("0");

  await fileInput.setInputFiles(csvFile(GOOD_ROWS));
  await expect(rowsBox(page)).toHaveValue(`${GOOD_ROWS.join("\n")}\n`);
  await page.getByRole("button", { name: "Import", exact: true }).tap();

  const finished = page.getByRole("status").filter({ has: page.getByRole("heading", { name: "Import finished" }) });
  await expect(finished).toBeVisible();
  // Maya's two days and Freya's Monday each store an arrival and a departure, and Freya's
  // Tuesday stores one absence, so the import stores 7 register entries.
  await expect(finished.getByRole("paragraph").first()).toHaveText(
    "Imported 8 rows, 2 days, 2 children from 6 Jul 2026 to 7 Jul 2026, stored as 7 register entries.",
  );
  await expect(problems(page)).toHaveCount(0);

  const maya = await childFigures(page, "2026-07-06", "2026-07-07", "Maya Patel");
  expect(maya.possible, "Maya's booked sessions on 6 and 7 July").toBe("4");
  expect(maya.attended, "Maya's attended sessions on 6 and 7 July").toBe("4");
  expect(maya.late, "Maya arrived at 08:20 on Tuesday morning").toBe("1");
  expect(maya.unexplained, "Maya's missed sessions with no reason").toBe("0");

  const freya = await childFigures(page, "2026-07-06", "2026-07-07", "Freya Okafor");
  expect(freya.possible, "Freya's booked sessions on 6 and 7 July").toBe("4");
  expect(freya.attended, "Freya attended the Monday only").toBe("2");
  expect(freya.unexplained, "Freya's Tuesday absence has the reason illness").toBe("0");
});

test("a file not in UTF-8 is rejected", async ({ page }) => {
  await signIn(page, MANAGER);
  await openImportPage(page);

  // Saved as Latin-1, "é" is the single byte 0xE9, which is not valid UTF-8. Every other value
  // is valid, and an unknown recorded_by name is ignored, so the encoding is the only problem.
  const text = `${[
    HEADER,
    "Ava Thompson,2026-07-08,am,attended,08:05,,,Renée Morgan",
    "Ava Thompson,2026-07-08,pm,attended,,17:30,,Renée Morgan",
  ].join("\n")}\n`;
  const buffer = Buffer.from(text, "latin1");
  expect(buffer.includes(0xe9), "the file contains the Latin-1 byte for é").toBe(true);

  await page.getByLabel("Choose a CSV file").setInputFiles({ name: "past.csv", mimeType: "text/csv", buffer });
  // The browser reads the file as UTF-8 and turns the unreadable byte into U+FFFD.
  await expect(rowsBox(page)).toHaveValue(/Ren\uFFFDe Morgan/);

  await page.getByRole("button", { name: "Import", exact: true }).tap();
  const rejected = problems(page);
  await expect(rejected).toBeVisible();
  await expect(rejected.getByRole("listitem")).toHaveText([/not UTF-8 text; save it as "CSV UTF-8"/]);
  await expect(page.getByRole("heading", { name: "Import finished" })).toHaveCount(0);

  const ava = await childFigures(page, "2026-07-08", "2026-07-08", "Ava Thompson");
  expect(ava.attended, "Ava's attended sessions on 8 July").toBe("0");
});

import { readFile } from "node:fs/promises";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { DEMO_USERS, MANDATE_URL, seriousViolations, signIn, useLanguage, type Credentials } from "./support";

/**
 * Cost by user and by model on the statistics page (issue 17, item 6): the owner sees every
 * member of Demo AG, a MEMBER only their own line; each table shows what its chart shows, and
 * its CSV what the table shows, in the viewer's number format. Demo AG's usage (seed) is spread
 * over Olivia Owner, Adrian Admin and Mia Member; Chris Consultant spent nothing.
 */
// Sign-in, the page and an accessibility scan each take seconds on a shared machine.
test.describe.configure({ timeout: 90_000 });

const MEMBERS = ["Olivia Owner", "Adrian Admin", "Mia Member", "Chris Consultant"];
const OTHERS_THAN_MIA = MEMBERS.filter((name) => name !== "Mia Member");

/** A figure as the table writes it, exact, as millionths: "1'408.30" (de) or "1,408.30" (en), "CHF " ignored. */
function micro(text: string): bigint {
  const plain = text.replace(/CHF|\s|'|,|\u2019/g, "").replace("\u2212", "-");
  const [whole = "0", fraction = ""] = plain.replace("-", "").split(".");
  const value = BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(6, "0").slice(0, 6));
  return plain.startsWith("-") ? -value : value;
}

async function tableCells(table: Locator): Promise<{ header: string[]; rows: string[][] }> {
  await expect(table.locator("tbody tr").first()).toBeVisible();
  const header = await table.locator("thead th").allInnerTexts();
  const rows = await table
    .locator("tbody tr")
    .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("th, td")].map((cell) => cell.textContent ?? "")));
  return { header: header.map((text) => text.trim()), rows: rows.map((row) => row.map((text) => text.trim())) };
}

/**
 * The chart's own data, read the way a person reads it: each category's name on the axis and,
 * hovering its band, the tooltip's exact amount.
 */
async function chartData(page: Page, figure: Locator): Promise<{ name: string; amount: string }[]> {
  await figure.scrollIntoViewIfNeeded();
  const plot = figure.locator(".recharts-cartesian-grid");
  const box = await plot.boundingBox();
  if (!box) throw new Error("the chart has no plot area");
  const ticks = figure.locator(".recharts-yAxis .recharts-cartesian-axis-tick");
  const out: { name: string; amount: string }[] = [];
  for (let i = 0; i < (await ticks.count()); i++) {
    const tick = await ticks.nth(i).boundingBox();
    if (!tick) throw new Error(`tick ${i} is not shown`);
    await page.mouse.move(box.x + box.width * 0.5, tick.y + tick.height / 2);
    const tooltip = figure.getByTestId("chart-tooltip");
    await expect(tooltip).toBeVisible();
    const name = (await tooltip.locator("p").innerText()).trim();
    const amount = (await tooltip.locator("li").first().locator("span").last().innerText()).trim();
    out.push({ name, amount });
  }
  await page.mouse.move(0, 0);
  return out;
}

/** A chart's axis title: an SVG text of its own, beside the tick labels. */
function axisLabel(figure: Locator, unit: string): Locator {
  return figure.locator("svg text.recharts-label", { hasText: new RegExp(`^${unit}$`) });
}

/** Signs in and waits for the mandate's overview; the first request of a fresh server can be slow. */
async function signInTo(page: Page, user: Credentials): Promise<string> {
  await signIn(page, user);
  await expect(page).toHaveURL(MANDATE_URL, { timeout: 20_000 });
  return page.url();
}

async function downloadCsv(page: Page, button: Locator): Promise<{ name: string; lines: string[] }> {
  const [download] = await Promise.all([page.waitForEvent("download"), button.click()]);
  const path = await download.path();
  const text = await readFile(path, "utf8");
  expect(text.startsWith("\uFEFF")).toBe(true);
  return {
    name: download.suggestedFilename(),
    lines: text
      .slice(1)
      .split("\r\n")
      .filter((line) => line !== ""),
  };
}

/** Splits a CSV record; quoted fields (an English amount with a group comma) are unquoted. */
function csvFields(line: string, separator: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted && c === '"' && line[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === separator) {
      fields.push(field);
      field = "";
    } else {
      field += c;
    }
  }
  fields.push(field);
  return fields;
}

test("the owner sees every member's cost and the models; table, chart and German CSV agree", async ({ page }) => {
  const overview = await signInTo(page, DEMO_USERS.owner);
  await useLanguage(page, "de");
  await page.goto(`${overview}/statistics`);

  const byUser = page.getByTestId("chart-cost-by-user");
  const userTable = page.getByTestId("chart-cost-by-user-table");
  const users = await tableCells(userTable);
  expect(users.header).toEqual(["Benutzer", "Kosten (CHF)", "Anteil (%)", "Transaktionen"]);
  const names = users.rows.map((row) => row[0]);
  for (const name of MEMBERS) expect(names).toContain(name);
  // German number format: apostrophe groups, decimal point, the same decimals down the column.
  const decimals = new Set(users.rows.map((row) => row[1]?.split(".")[1]?.length));
  expect(decimals.size).toBe(1);
  for (const row of users.rows) {
    expect(row[1]).toMatch(/^\d{1,3}('\d{3})*\.\d{2,6}$/);
    expect(row[2]).toMatch(/^\d{1,3}\.\d$/);
    expect(row[3]).toMatch(/^\d{1,3}('\d{3})*$/);
  }
  const consultant = users.rows.find((row) => row[0] === "Chris Consultant") ?? [];
  expect(micro(consultant[1] ?? "x")).toBe(0n);
  expect(consultant.slice(2)).toEqual(["0.0", "0"]);

  // The chart shows the table's rows, in its order, with its amounts.
  const plotted = await chartData(page, byUser);
  expect(plotted.map((bar) => bar.name)).toEqual(names);
  expect(plotted.map((bar) => micro(bar.amount))).toEqual(users.rows.map((row) => micro(row[1] ?? "")));

  // The axes carry their unit.
  await expect(axisLabel(byUser, "CHF")).toHaveCount(1);
  await expect(axisLabel(page.getByTestId("chart-cost-by-provider"), "CHF")).toHaveCount(1);
  await expect(axisLabel(page.getByTestId("chart-transaction-count"), "Anzahl")).toHaveCount(1);

  // The CSV is the table: same header, same rows, same German figures, semicolon separated.
  const csv = await downloadCsv(page, page.getByTestId("chart-cost-by-user-csv"));
  expect(csv.name).toMatch(/^kosten-nach-benutzer-\d{4}\.csv$/);
  expect(csv.lines.map((line) => csvFields(line, ";"))).toEqual([users.header, ...users.rows]);

  // Cost by model: its table and CSV too; no count column (the roll-up keeps amounts per model).
  const models = await tableCells(page.getByTestId("chart-cost-by-model-table"));
  expect(models.header).toEqual(["Modell", "Kosten (CHF)", "Anteil (%)"]);
  expect(models.rows.length).toBeGreaterThan(1);
  const modelPlot = await chartData(page, page.getByTestId("chart-cost-by-model"));
  expect(modelPlot.map((bar) => bar.name)).toEqual(models.rows.map((row) => row[0]));
  expect(modelPlot.map((bar) => micro(bar.amount))).toEqual(models.rows.map((row) => micro(row[1] ?? "")));
  const modelCsv = await downloadCsv(page, page.getByTestId("chart-cost-by-model-csv"));
  expect(modelCsv.lines.map((line) => csvFields(line, ";"))).toEqual([models.header, ...models.rows]);

  // Both breakdowns add up to the page's total.
  const total = await page.getByTestId("statistics-total").innerText();
  const sum = (rows: string[][]) => rows.reduce((acc, row) => acc + micro(row[1] ?? "0"), 0n);
  expect(sum(users.rows)).toBe(micro(total));
  expect(sum(models.rows)).toBe(micro(total));

  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: "test-results/screenshots/statistics-breakdown-de.png", fullPage: true });
});

test("in English the CSV is comma separated with English figures", async ({ page }) => {
  const overview = await signInTo(page, DEMO_USERS.owner);
  await useLanguage(page, "en");
  try {
    await page.goto(`${overview}/statistics`);
    const users = await tableCells(page.getByTestId("chart-cost-by-user-table"));
    expect(users.header).toEqual(["User", "Cost (CHF)", "Share (%)", "Transactions"]);
    for (const row of users.rows) expect(row[1]).toMatch(/^\d{1,3}(,\d{3})*\.\d{2,6}$/);
    const csv = await downloadCsv(page, page.getByTestId("chart-cost-by-user-csv"));
    expect(csv.name).toMatch(/^cost-by-user-\d{4}\.csv$/);
    expect(csv.lines.map((line) => csvFields(line, ","))).toEqual([users.header, ...users.rows]);
    await expect(axisLabel(page.getByTestId("chart-transaction-count"), "Count")).toHaveCount(1);
  } finally {
    // The owner's seeded language is German; other specs expect it.
    await useLanguage(page, "de");
  }
});

test("a member sees only their own cost line, and the route gives them nothing else", async ({ page }) => {
  const overview = await signInTo(page, DEMO_USERS.member);
  await useLanguage(page, "de");
  await page.goto(`${overview}/statistics`);
  const users = await tableCells(page.getByTestId("chart-cost-by-user-table"));
  expect(users.rows.map((row) => row[0])).toEqual(["Mia Member"]);
  expect(users.rows[0]?.[2]).toBe("100.0");
  const body = await page.locator("body").innerText();
  for (const name of OTHERS_THAN_MIA) expect(body).not.toContain(name);
  expect(body).not.toContain("Keinem Benutzer zugeordnet");

  const plotted = await chartData(page, page.getByTestId("chart-cost-by-user"));
  expect(plotted.map((bar) => bar.name)).toEqual(["Mia Member"]);
  const csv = await downloadCsv(page, page.getByTestId("chart-cost-by-user-csv"));
  expect(csv.lines.map((line) => csvFields(line, ";"))).toEqual([users.header, ...users.rows]);

  // Whatever the query says, the route answers with the member's own line only.
  const mandateId = /\/mandates\/([0-9a-f-]{36})/.exec(overview)?.[1];
  const year = new Date().getUTCFullYear();
  for (const query of [`period=MONTH&year=${year}`, `period=YEAR&year=${year}&user=all&userId=x`]) {
    const res = await page.request.get(`/api/dashboard/mandates/${mandateId}/statistics?${query}`);
    expect(res.status()).toBe(200);
    const data = (await res.json()) as { breakdown: { byUser: { name: string | null }[] } };
    expect(data.breakdown.byUser.map((line) => line.name)).toEqual(["Mia Member"]);
  }
  expect(await seriousViolations(page)).toEqual([]);
});

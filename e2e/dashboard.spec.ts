import { readFile } from "node:fs/promises";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { seriousViolations, signInToMandate, useLanguage, DEMO_USERS } from "./support";
import { createCsvRecordCounter } from "../lib/export/csv-record-counter";

// Demo users from prisma/seed/seed-demo.ts (the e2e server seeds billing_e2e with them).
const OWNER = DEMO_USERS.owner;
const MEMBER = DEMO_USERS.member;

/** React's hydration errors (minified #418/#423/#425 in production): server and client markup must agree. */
function watchHydration(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /hydrat|#418|#423|#425/i.test(message.text())) errors.push(message.text());
  });
  page.on("pageerror", (error) => {
    if (/hydrat|#418|#423|#425/i.test(error.message)) errors.push(error.message);
  });
  return errors;
}

/** The raw values of one column of the transactions table (data-value, language-neutral). */
async function columnValues(page: Page, field: string): Promise<(string | null)[]> {
  return page
    .getByTestId("transaction-row")
    .locator(`td[data-field="${field}"]`)
    .evaluateAll((cells) => cells.map((cell) => cell.getAttribute("data-value")));
}

/** Exact comparison of two decimal strings with six decimals, without floats. */
function micro(amount: string): bigint {
  const [whole = "0", fraction = ""] = amount.replace("-", "").split(".");
  const value = BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(6, "0"));
  return amount.startsWith("-") ? -value : value;
}

async function totalOf(locator: Locator): Promise<number> {
  await expect(locator).not.toHaveAttribute("data-total", "");
  return Number(await locator.getAttribute("data-total"));
}

test("the owner's overview shows the CHF balance, auto-recharge and this month's cost by provider", async ({
  page,
}) => {
  const hydration = watchHydration(page);
  await signInToMandate(page, OWNER);
  await useLanguage(page, "en");
  await expect(page.getByTestId("mandate-name")).toHaveText("Demo AG");
  await expect(page.getByTestId("pool-balance")).toContainText("CHF");
  await expect(page.getByTestId("warning-threshold")).toContainText("CHF");
  await expect(page.getByTestId("auto-recharge")).toContainText(/recharges used this month/);
  const split = page.getByTestId("provider-split").locator("li");
  expect(await split.count()).toBeGreaterThanOrEqual(2);
  await expect(split.first()).toContainText("CHF");
  await expect(page.getByTestId("month-cost")).toContainText("CHF");
  await expect(page.getByTestId("recent-transactions").getByTestId("transaction-row")).toHaveCount(10);
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: "test-results/screenshots/overview-full.png", fullPage: true });
  expect(hydration).toEqual([]);
});

test("statistics show charts, switch to days and go back a month", async ({ page }) => {
  const hydration = watchHydration(page);
  const overview = await signInToMandate(page, OWNER);
  await useLanguage(page, "en");
  await page.goto(`${overview}/statistics`);
  const byProvider = page.getByTestId("chart-cost-by-provider");
  await expect(byProvider.locator("svg.recharts-surface").first()).toBeVisible();
  await expect(byProvider.locator(".recharts-bar-rectangle").first()).toBeVisible();
  await expect(byProvider.locator(".recharts-legend-item-text", { hasText: "Anthropic" })).toBeVisible();
  await expect(page.getByTestId("chart-cost-by-feature").locator(".recharts-bar-rectangle").first()).toBeVisible();
  await expect(page.getByTestId("chart-transaction-count").locator(".recharts-line-curve")).toBeVisible();
  await expect(page.getByTestId("statistics-total")).toContainText("CHF");

  await page.getByTestId("period-DAY").click();
  await expect(page.getByTestId("period-DAY")).toHaveAttribute("aria-pressed", "true");
  await expect(page).toHaveURL(/period=DAY/);
  const thisMonth = await page.getByTestId("period-title").innerText();
  await page.getByTestId("period-previous").click();
  await expect(page.getByTestId("period-title")).not.toHaveText(thisMonth);
  const previous = new Date();
  previous.setUTCDate(15);
  previous.setUTCMonth(previous.getUTCMonth() - 1);
  await expect(page).toHaveURL(new RegExp(`month=${previous.getUTCMonth() + 1}(&|$)`));
  await expect(page.getByTestId("statistics-body")).not.toHaveAttribute("aria-busy", "true");
  // Demo AG has six months of usage: last month has a bar for (nearly) every day.
  expect(await byProvider.locator(".recharts-bar-rectangle").count()).toBeGreaterThan(20);
  await expect(page.getByTestId("statistics-count")).not.toHaveText("0");
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: "test-results/screenshots/statistics.png", fullPage: true });
  expect(hydration).toEqual([]);
});

test("transactions filter, sort, export the filtered rows as CSV and speak German", async ({ page }) => {
  const hydration = watchHydration(page);
  const overview = await signInToMandate(page, OWNER);
  await useLanguage(page, "en");
  await page.goto(`${overview}/transactions`);
  await expect(page.getByTestId("transaction-row")).toHaveCount(50);

  // Booking order, last booked first: each row's balance is the next (earlier) row's, moved by its amount.
  const [types, rowAmounts, balances] = await Promise.all(
    ["transactionType", "amount", "balanceAfter"].map((field) => columnValues(page, field)),
  );
  for (let i = 0; i + 1 < 50; i++) {
    const moved = micro(rowAmounts?.[i] ?? "0") * (types?.[i] === "DEBIT" ? -1n : 1n);
    expect(micro(balances?.[i] ?? "0"), `row ${i}`).toBe(micro(balances?.[i + 1] ?? "0") + moved);
  }
  await expect(page.locator("th[aria-sort='descending']")).toContainText("Booked at");
  expect((await columnValues(page, "createdAt")).every(Boolean)).toBe(true);

  await page.getByTestId("filter-provider").selectOption("anthropic");
  await page.getByTestId("filter-feature").selectOption("chat");
  await page.getByTestId("filter-apply").click();
  await expect(page).toHaveURL(/provider=anthropic/);
  await expect(page).toHaveURL(/feature=chat/);
  await expect.poll(async () => new Set(await columnValues(page, "aicoreProvider"))).toEqual(new Set(["anthropic"]));
  expect(new Set(await columnValues(page, "featureCode"))).toEqual(new Set(["chat"]));

  await page.getByTestId("sort-amount").click();
  await expect(page).toHaveURL(/sort=amount/);
  await expect(page.locator("th[aria-sort='descending']")).toContainText("Amount (CHF)");
  const amounts = async () =>
    page
      .getByTestId("transaction-row")
      .locator("td[data-field='amount']")
      .evaluateAll((cells) => cells.map((cell) => cell.getAttribute("data-value") ?? ""));
  await expect
    .poll(async () => {
      const [first, second] = await amounts();
      return first !== undefined && second !== undefined && micro(first) >= micro(second);
    })
    .toBe(true);
  const sorted = await amounts();
  for (let i = 1; i < sorted.length; i++)
    expect(micro(sorted[i - 1] ?? "0")).toBeGreaterThanOrEqual(micro(sorted[i] ?? "0"));
  expect(new Set(await columnValues(page, "aicoreProvider"))).toEqual(new Set(["anthropic"]));
  await page.getByTestId("page-next").click();
  await expect(page.getByTestId("page-number")).toHaveText("Page 2");
  // Page 1's rows stay, marked busy, until page 2's arrive: wait for those.
  await expect
    .poll(async () => {
      const [first] = await amounts();
      return first !== undefined && micro(first) <= micro(sorted[sorted.length - 1] ?? "0");
    })
    .toBe(true);

  // The total is counted up to 1,000 at first; the export is checked against the exact figure.
  await totalOf(page.getByTestId("transactions-total"));
  const countAll = page.getByTestId("count-all");
  if (await countAll.isVisible()) {
    await countAll.click();
    await expect(countAll).toHaveCount(0);
  }
  const total = await totalOf(page.getByTestId("transactions-total"));
  expect(total).toBeGreaterThan(100);
  const download = page.waitForEvent("download");
  await page.getByTestId("export-csv").click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^transactions_demo-ag_\d{4}-\d{2}-\d{2}\.csv$/);
  const bytes = await readFile(await file.path());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const csv = bytes.toString("utf8").slice(1);
  expect(csv.startsWith("Booked at,Call time,Type,Amount (CHF),Currency,Balance after (CHF),Description,")).toBe(true);
  const counter = createCsvRecordCounter();
  expect(counter.push(csv) - 1).toBe(total);
  // Values as the UI shows them: the type's label, the amount with the decimals it needs (2 to 6).
  expect(csv.split("\r\n")[1]).toMatch(/,Debit,"?[\d,]+\.\d{2,6}"?,CHF,/);
  await expect(page.getByTestId("export-status")).toHaveText(`Exported ${total.toLocaleString("en")} rows.`);

  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: "test-results/screenshots/transactions.png", fullPage: true });

  // German, and the seeded language of this user (de) restored at the same time.
  await useLanguage(page, "de");
  const headers = page.getByTestId("transactions-table").locator("thead th");
  await expect(headers.filter({ hasText: "Betrag (CHF)" })).toHaveCount(1);
  await expect(headers.filter({ hasText: "Gebucht am" })).toHaveCount(1);
  await expect(headers.filter({ hasText: "Aufruf am" })).toHaveCount(1);
  await expect(headers.filter({ hasText: /^Typ$/ })).toHaveCount(1);
  await expect(headers.filter({ hasText: "AI-Anbieter" })).toHaveCount(1);
  await expect(page.getByRole("button", { name: "CSV exportieren" })).toBeVisible();
  expect(hydration).toEqual([]);
});

test("a member sees only their own usage: no pool balance, every row is Mia Member's", async ({ page }) => {
  const overview = await signInToMandate(page, MEMBER);
  await expect(page.getByTestId("own-scope")).toBeVisible();
  await expect(page.getByTestId("pool-balance")).toHaveCount(0);
  await expect(page.getByTestId("auto-recharge")).toHaveCount(0);
  const recentUsers = await page
    .getByTestId("recent-transactions")
    .locator("td[data-field='createdByUserId']")
    .evaluateAll((cells) => cells.map((cell) => cell.getAttribute("data-value")));
  expect(recentUsers.length).toBeGreaterThan(0);
  expect(new Set(recentUsers)).toEqual(new Set(["Mia Member"]));

  // A user filter in the URL cannot widen the list: members have none, and the scope is the role's.
  await page.goto(`${overview}/transactions?user=00000000-0000-4000-8000-000000000000`);
  await expect(page.getByTestId("filter-user")).toHaveCount(0);
  await expect(page.getByTestId("transaction-row").first()).toBeVisible();
  expect(new Set(await columnValues(page, "createdByUserId"))).toEqual(new Set(["Mia Member"]));
  await expect(page.locator("td[data-field='balanceAfter']")).toHaveCount(0);
  const own = await totalOf(page.getByTestId("transactions-total"));
  await page.goto(`${overview}/transactions`);
  expect(await totalOf(page.getByTestId("transactions-total"))).toBe(own);
  expect(await seriousViolations(page)).toEqual([]);

  // A malformed filter in a hand-edited URL: the error state, with a way back.
  await page.goto(`${overview}/transactions?from=not-a-date`);
  await expect(page.getByTestId("transactions-error")).toBeVisible({ timeout: 10_000 });

  await page.goto(`${overview}/statistics`);
  await expect(page.getByTestId("chart-cost-by-provider").locator(".recharts-bar-rectangle").first()).toBeVisible();
  // Five years back there was no usage yet: the empty state.
  await page.getByTestId("period-YEAR").click();
  await page.getByTestId("period-previous").click();
  await expect(page.getByTestId("statistics-empty")).toBeVisible();
});

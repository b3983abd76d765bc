import { expect, test, type Page } from "@playwright/test";
// Not a React hook: support.ts's language switch, named for what it does here.
import { MANDATE_URL, seriousViolations, signIn, useLanguage as switchLanguage, DEMO_USERS } from "./support";

/**
 * The transactions page for owners (issue 17): refused filters shown at the field, the place in
 * the URL, search, the layout at a laptop's and a phone's width, and the number format per
 * language. Signs in as the demo ADMIN (sees the pool like an owner) and restores the language
 * the seed gave them.
 */
const ADMIN = DEMO_USERS.admin;

test.describe.configure({ timeout: 60_000 });

async function openTransactions(page: Page, lang: "en" | "de"): Promise<{ url: string; restore: () => Promise<void> }> {
  await signIn(page, ADMIN);
  // Password hashing on a busy two-core machine: the first sign-ins may take their time.
  await expect(page).toHaveURL(MANDATE_URL, { timeout: 20_000 });
  const overview = page.url();
  const seeded = (await page.locator("html").getAttribute("lang")) === "en" ? "en" : "de";
  if (seeded !== lang) await switchLanguage(page, lang);
  const url = `${overview}/transactions`;
  await page.goto(url);
  // Rows on a wide screen, cards on a phone.
  const wide = page.viewportSize()?.width !== 390;
  await expect(page.getByTestId(wide ? "transaction-row" : "transaction-card").first()).toBeVisible();
  return {
    url,
    restore: async () => {
      if (seeded !== lang) await switchLanguage(page, seeded);
    },
  };
}

async function firstRowId(page: Page): Promise<string | null> {
  return page.getByTestId("transaction-row").first().getAttribute("data-id");
}

test("a refused filter shows the server's reason at the field, and the loading ends", async ({ page }) => {
  const { restore } = await openTransactions(page, "en");
  await page.getByTestId("filter-from").fill("2026-03-01");
  await page.getByTestId("filter-to").fill("2026-02-01");
  await page.getByTestId("filter-apply").click();
  await expect(page).toHaveURL(/from=2026-03-01/);

  const to = page.getByTestId("filter-to");
  await expect(to).toHaveAttribute("aria-invalid", "true", { timeout: 5_000 });
  const reason = page.locator(`#${await to.getAttribute("aria-describedby")}`);
  await expect(reason).toHaveText("The end date must not be before the start date.");
  await expect(page.getByTestId("transactions-error")).toBeVisible();
  await expect(page.getByRole("status", { name: "Loading transactions…" })).toHaveCount(0);
  await expect(page.getByTestId("transaction-row")).toHaveCount(0);

  // A hand-edited URL gets the same: a reason at the field, not a generic error.
  await page.goto(`${page.url().split("?")[0]}?from=2026-02-30`);
  await expect(page.getByTestId("filter-from")).toHaveAttribute("aria-invalid", "true", { timeout: 5_000 });
  await expect(page.getByText("Enter a valid date.")).toBeVisible();
  await restore();
});

test("the page and the filters stay in the URL across reload and back", async ({ page }) => {
  const { restore } = await openTransactions(page, "en");
  await page.getByTestId("filter-provider").selectOption("openai");
  await page.getByTestId("filter-apply").click();
  await expect(page).toHaveURL(/provider=openai/);
  const firstPage = await firstRowId(page);

  await page.getByTestId("page-next").click();
  await expect(page).toHaveURL(/cursor=.*page=2/);
  await expect(page.getByTestId("page-number")).toHaveText("Page 2");
  await expect.poll(() => firstRowId(page)).not.toBe(firstPage);
  const secondPage = await firstRowId(page);
  await page.getByTestId("page-next").click();
  await expect(page.getByTestId("page-number")).toHaveText("Page 3");
  await expect.poll(() => firstRowId(page)).not.toBe(secondPage);
  const thirdPage = await firstRowId(page);

  await page.reload();
  await expect(page.getByTestId("page-number")).toHaveText("Page 3");
  await expect.poll(() => firstRowId(page)).toBe(thirdPage);
  await expect(page.getByTestId("filter-provider")).toHaveValue("openai");

  // "Previous" pages back by cursor; the browser's back returns to the earlier URL.
  await page.getByTestId("page-previous").click();
  await expect(page.getByTestId("page-number")).toHaveText("Page 2");
  await expect.poll(() => firstRowId(page)).toBe(secondPage);
  await page.goBack();
  await expect(page.getByTestId("page-number")).toHaveText("Page 3");
  await expect.poll(() => firstRowId(page)).toBe(thirdPage);
  await restore();
});

test("search finds a partial model name in any case; quick ranges go into the URL", async ({ page }) => {
  const { restore } = await openTransactions(page, "en");
  await page.getByTestId("filter-q").fill("SONN");
  await page.getByTestId("filter-apply").click();
  await expect(page).toHaveURL(/q=SONN/);
  const models = () =>
    page
      .getByTestId("transaction-row")
      .locator("td[data-field='aicoreModel']")
      .evaluateAll((cells) => cells.map((cell) => cell.getAttribute("data-value")));
  await expect.poll(async () => new Set(await models())).toEqual(new Set(["claude-4-sonnet"]));
  await expect(page.getByTestId("transactions-total")).not.toHaveAttribute("data-total", "");

  await page.getByTestId("range-thisMonth").click();
  await expect(page).toHaveURL(/range=thisMonth/);
  await expect(page).toHaveURL(/q=SONN/);
  await expect(page.getByTestId("range-thisMonth")).toHaveAttribute("aria-pressed", "true");
  await restore();
});

test("at 1366×768 nothing scrolls sideways; long descriptions open on focus", async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  const { restore } = await openTransactions(page, "en");
  const widths = await page.evaluate(() => ({
    document: document.documentElement.scrollWidth,
    window: window.innerWidth,
  }));
  expect(widths.document).toBeLessThanOrEqual(widths.window);
  const region = page.getByRole("region", { name: "Transactions" });
  const overflow = await region.evaluate((el) => el.scrollWidth - el.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  // The most important columns stay; the call time gives way and is in the description's details.
  await expect(page.locator("th").filter({ hasText: "Amount (CHF)" })).toBeVisible();
  const description = page.getByTestId("transaction-description").first();
  await description.focus();
  const full = description.getByRole("tooltip");
  await expect(full).toBeVisible();
  await expect(full).toContainText("Call time");

  // Credits and debits: a sign and a named arrow, the same decimals down the column.
  const amounts = await page
    .getByTestId("transaction-row")
    .locator("td[data-field='amount']")
    .evaluateAll((cells) => cells.map((cell) => cell.textContent ?? ""));
  expect(amounts.every((text) => /^[↑↓]CHF[+\u2212]/.test(text))).toBe(true);
  const decimals = new Set(amounts.map((text) => text.split(".")[1]?.length));
  expect(decimals.size).toBe(1);
  await expect(page.getByRole("img", { name: "Debit" }).first()).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: "test-results/screenshots/transactions-1366-en.png", fullPage: true });
  await restore();
});

test("at 390 px the transactions are cards, in German with Swiss grouping", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const { restore } = await openTransactions(page, "de");
  await expect(page.getByTestId("transaction-card").first()).toBeVisible();
  await expect(page.getByTestId("transactions-table")).toBeHidden();
  const widths = await page.evaluate(() => ({
    document: document.documentElement.scrollWidth,
    window: window.innerWidth,
  }));
  expect(widths.document).toBeLessThanOrEqual(widths.window);

  // About 19,400 seeded calls, counted up to 1,000: the total is grouped with an apostrophe.
  await expect(page.getByTestId("transactions-total")).toContainText(/^\d{1,3}'\d{3}\+? Transaktionen/);
  await expect(page.getByRole("img", { name: "Belastung" }).first()).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/transactions-390-de.png", fullPage: true });
  await restore();
});

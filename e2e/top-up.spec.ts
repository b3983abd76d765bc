import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { E2E_STRIPE_PORT } from "../playwright.config";
import { add, toMoneyString } from "../lib/money/money";
import { formatMoney } from "../lib/money/format";
import { seriousViolations, signInToMandate, useLanguage, DEMO_USERS } from "./support";

// Demo users from prisma/seed/seed-demo.ts. The e2e server runs the offline Stripe test server
// (scripts/stripe-test-server) on E2E_STRIPE_PORT; its /_test controls steer the webhooks.
const OWNER = DEMO_USERS.owner;
const ADMIN = DEMO_USERS.admin;
const MEMBER = DEMO_USERS.member;
const STRIPE = `http://127.0.0.1:${E2E_STRIPE_PORT}`;

async function deliveryMode(request: APIRequestContext, mode: "normal" | "twice"): Promise<void> {
  const response = await request.post(`${STRIPE}/_test/delivery-mode`, { data: { mode } });
  expect(response.ok()).toBe(true);
}

/** The pool balance as the overview renders it: its exact decimal string (data-amount). */
async function poolBalance(page: Page): Promise<string> {
  const balance = page.getByTestId("pool-balance");
  await expect(balance).toBeVisible();
  const amount = await balance.getAttribute("data-amount");
  expect(amount).toMatch(/^-?\d+(\.\d+)?$/);
  return amount ?? "";
}

test("the owner tops up 50 CHF on the checkout page and the balance rises by 50 once, though the webhook came twice", async ({
  page,
  request,
}) => {
  // Two pages of our app, Stripe's checkout page, the webhooks and two accessibility scans.
  test.setTimeout(60_000);
  const overviewUrl = await signInToMandate(page, OWNER);
  await useLanguage(page, "en");
  const expected = toMoneyString(add(await poolBalance(page), "50"));

  await deliveryMode(request, "twice");
  try {
    await page.getByTestId("top-up-button").click();
    await expect(page.getByRole("heading", { level: 1, name: "Top up" })).toBeVisible();
    const form = page.getByTestId("top-up-form");
    await expect(form).toContainText(`from ${formatMoney("10", "en")} to ${formatMoney("5000", "en")}`);
    expect(await seriousViolations(page)).toEqual([]);

    // Out of bounds: refused inline, nothing leaves for Stripe.
    await form.getByLabel("Amount (CHF)").fill("5");
    await form.getByTestId("top-up-submit").click();
    await expect(page.getByTestId("top-up-error")).toHaveAttribute("data-code", "VALIDATION_FAILED");
    await expect(form.getByLabel("Amount (CHF)")).toHaveAttribute("aria-invalid", "true");
    await expect(form).toContainText(
      `Enter an amount from ${formatMoney("10", "en")} to ${formatMoney("5000", "en")} with at most two decimals.`,
    );

    await page.screenshot({ path: "test-results/screenshots/top-up.png", fullPage: true });

    await form.getByRole("button", { name: `Top up ${formatMoney("50", "en")}` }).click();
    await expect(form.getByLabel("Amount (CHF)")).toHaveValue("50");
    await form.getByTestId("top-up-submit").click();

    await expect(page).toHaveURL(new RegExp(`^${STRIPE}/checkout/cs_`));
    await page.locator("#pay").click();

    await expect(page).toHaveURL(/\/top-up\/success\?session_id=cs_/);
    const result = page.getByTestId("top-up-result");
    await expect(result).toHaveAttribute("data-outcome", "paid");
    await expect(result).toContainText(`${formatMoney("50.00", "en")} credited`);
    const paymentId = await result.getAttribute("data-payment-id");
    await page.screenshot({ path: "test-results/screenshots/top-up-success.png", fullPage: true });

    // Both deliveries of every event have been answered before the balance is read.
    const waited = await request.post(`${STRIPE}/_test/wait-for-deliveries`);
    expect(waited.ok()).toBe(true);

    await page.getByRole("link", { name: "Back to the overview" }).click();
    await expect(page).toHaveURL(overviewUrl);
    await expect(page.getByTestId("pool-balance")).toHaveText(formatMoney(expected, "en"));
    await expect(page.getByTestId("pool-balance")).toHaveAttribute("data-amount", expected);

    await page.setViewportSize({ width: 1366, height: 768 });
    await page.getByRole("navigation").getByRole("link", { name: "Payments" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Payments" })).toBeVisible();
    const row = page.locator(`tr[data-payment-id="${paymentId}"]`);
    await expect(row).toHaveAttribute("data-status", "PAID");
    await expect(row.locator('[data-field="status"]')).toHaveText("Paid");
    await expect(row.locator('[data-field="amount"]')).toHaveText(formatMoney("50.00", "en"));
    await expect(row.locator('[data-field="card"]')).toHaveText("Visa •••• 4242");
    await expect(row.getByRole("link", { name: /^Receipt for CHF 50\.00/ })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: "test-results/screenshots/payments.png", fullPage: true });
  } finally {
    await deliveryMode(request, "normal");
  }
});

test("an admin sees the top-up form in German and the payments page fits a phone", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const overviewUrl = await signInToMandate(page, ADMIN);
  await useLanguage(page, "de");
  try {
    await page.getByRole("link", { name: "Aufladen" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Aufladen" })).toBeVisible();
    const form = page.getByTestId("top-up-form");
    await form.getByLabel("Betrag (CHF)").fill("12.345");
    await form.getByRole("button", { name: "Weiter zur Zahlung" }).click();
    await expect(form).toContainText(
      `Geben Sie einen Betrag von ${formatMoney("10", "de")} bis ${formatMoney("5000", "de")} mit höchstens zwei Nachkommastellen ein.`,
    );
    await expect(form.getByLabel("Karte für die automatische Nachladung behalten")).not.toBeChecked();
    let overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    await page.goto(`${overviewUrl}/payments`);
    await expect(page.getByRole("heading", { level: 1, name: "Zahlungen" })).toBeVisible();
    overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: "test-results/screenshots/payments-phone-de.png", fullPage: true });
  } finally {
    await useLanguage(page, "en");
    await context.close();
  }
});

test("a MEMBER sees no top-up button and gets 404 on the top-up and payments pages", async ({ page }) => {
  const overviewUrl = await signInToMandate(page, MEMBER);
  await expect(page.getByTestId("own-scope")).toBeVisible();
  await expect(page.getByTestId("top-up-button")).toHaveCount(0);
  await expect(page.getByRole("navigation").getByRole("link", { name: /^(Payments|Zahlungen)$/ })).toHaveCount(0);
  for (const path of ["/top-up", "/top-up/success?session_id=cs_test_x", "/top-up/cancelled", "/payments"]) {
    const response = await page.goto(`${overviewUrl}${path}`);
    expect(response?.status(), path).toBe(404);
  }
});

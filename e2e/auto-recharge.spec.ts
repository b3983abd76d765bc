import { randomUUID } from "node:crypto";
import enBilling from "../locales/en/billing.json" with { type: "json" };
import { expect as baseExpect, test, type APIRequestContext, type Page } from "@playwright/test";
import { E2E_STRIPE_PORT } from "../playwright.config";
import { formatMoney } from "../lib/money/format";
import { add, sub, toMoneyString } from "../lib/money/money";
import { createApiKeyFor, createOwnedMandate, seriousViolations, signIn, useLanguage, DEMO_USERS } from "./support";

// The demo flow of issue 15 on a mandate of its own (e2e/support.ts createOwnedMandate), so the
// demo mandates other specs read keep their settings and balance. The e2e server runs the
// offline Stripe (scripts/stripe-test-server) on E2E_STRIPE_PORT and the job worker in-process;
// without SMTP_URL every e-mail lands in the outbox.
// Its steps span sign-ins, server actions and Stripe's pages on a machine shared with other
// suites: each may take longer than expect's default 5 s.
const expect = baseExpect.configure({ timeout: 15_000 });
const STRIPE = `http://127.0.0.1:${E2E_STRIPE_PORT}`;
const TOP_UP = "100";
const THRESHOLD_PERCENT = "50";
const RECHARGE = "20";
/** Takes the pool from 100 to 40, below the threshold of 50 % of the budget of 100. */
const USAGE = "60";

/** Every webhook the offline Stripe has queued so far has been answered by the app. */
async function waitForStripeDeliveries(request: APIRequestContext): Promise<void> {
  const waited = await request.post(`${STRIPE}/_test/wait-for-deliveries`);
  expect(waited.ok()).toBe(true);
}

async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

test("an owner who kept a card gets one automatic recharge when usage crosses the threshold, and the e-mails in the outbox", async ({
  browser,
  page,
  request,
}) => {
  // A new owner (invitation, reset link), Stripe's checkout, the worker's jobs and the webhooks.
  test.setTimeout(180_000);
  const mandate = await createOwnedMandate(browser, "E2E Auto-recharge");
  /** The pool balance after the recharge, as the overview's data-amount carries it. */
  let recharged = "";
  const { mandateUrl, mandateName, owner } = mandate;
  await signIn(page, owner);
  await expect(page).toHaveURL(mandateUrl);
  await useLanguage(page, "en");

  const settingsForm = page.getByTestId("settings-form");
  const autoRecharge = settingsForm.getByRole("checkbox", { name: "Auto-recharge", exact: true });
  const saveSettings = settingsForm.getByRole("button", { name: "Save settings" });
  // The message as the English locale words it (its wording may change; its presence may not).
  const noCard = enBilling.settings.validation.noSavedCard;

  await test.step("auto-recharge without a kept card is refused under the checkbox and stays off", async () => {
    await page.goto(`${mandateUrl}/settings`);
    await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
    await expect(autoRecharge).not.toBeChecked();
    await autoRecharge.check();
    await saveSettings.click();
    await expect(page.getByTestId("settings-error")).toBeVisible();
    await expect(autoRecharge).toHaveAttribute("aria-invalid", "true");
    await expect(autoRecharge).toHaveAccessibleDescription(noCard);
    await expect(page.getByTestId("settings-status")).toHaveText("");
    await page.reload();
    await expect(autoRecharge).not.toBeChecked();
    await expect(autoRecharge).not.toHaveAttribute("aria-invalid", "true");
  });

  await test.step("a top-up that keeps the card, paid on the checkout page", async () => {
    await page.goto(mandateUrl);
    await expect(page.getByTestId("auto-recharge-card")).toHaveText(
      "No saved card. Top up once by card and keep the card to use auto-recharge.",
    );
    await page.getByTestId("top-up-button").click();
    await expect(page.getByRole("heading", { level: 1, name: "Top up" })).toBeVisible();
    const form = page.getByTestId("top-up-form");
    await form.getByLabel("Amount (CHF)").fill(TOP_UP);
    await form.getByLabel("Keep this card for automatic recharge").check();
    await form.getByTestId("top-up-submit").click();

    await expect(page).toHaveURL(new RegExp(`^${STRIPE}/checkout/cs_`));
    await page.locator("#pay").click();

    await expect(page).toHaveURL(/\/top-up\/success\?session_id=cs_/);
    const result = page.getByTestId("top-up-result");
    await expect(result).toHaveAttribute("data-outcome", "paid");
    await expect(result).toContainText(`${formatMoney("100.00", "en")} credited`);
    await waitForStripeDeliveries(request);

    await page.goto(mandateUrl);
    await expect(page.getByTestId("pool-balance")).toHaveAttribute("data-amount", toMoneyString(TOP_UP));
    await expect(page.getByTestId("auto-recharge-card")).toHaveText("Card: Visa •••• 4242");
    await expect(page.getByTestId("auto-recharge-state")).toHaveText("Off");
  });

  await test.step("the owner sets the threshold and the recharge amount and switches auto-recharge on", async () => {
    await page.goto(`${mandateUrl}/settings`);
    await expect(autoRecharge).toHaveAccessibleDescription(/Card: Visa •••• 4242/);
    await settingsForm.getByLabel("Warning threshold (%)").fill(THRESHOLD_PERCENT);
    await settingsForm.getByLabel("Recharge amount (CHF)").fill(RECHARGE);
    await autoRecharge.check();
    await saveSettings.click();
    await expect(page.getByTestId("settings-status")).toHaveText("Saved.");
    await page.reload();
    await expect(autoRecharge).toBeChecked();
    await expect(settingsForm.getByLabel("Warning threshold (%)")).toHaveValue(/^50(\.0+)?$/);
    await expect(settingsForm.getByLabel("Recharge amount (CHF)")).toHaveValue(/^20(\.0+)?$/);

    await page.goto(mandateUrl);
    await expect(page.getByTestId("auto-recharge-state")).toHaveText("On");
    await expect(page.getByTestId("auto-recharge-month")).toHaveText("0 of 3 recharges used this month");
    await expect(page.getByTestId("warning-threshold")).toHaveText(formatMoney("50", "en"));
    await expect(page.getByTestId("warning-threshold-budget")).toHaveText(
      `(50 % of the budget of ${formatMoney("100", "en")})`,
    );
    await expect(page.getByTestId("pool-warning")).toHaveCount(0);
  });

  await test.step("usage booked through the machine API takes the pool below the threshold", async () => {
    const platform = await browser.newContext();
    try {
      const admin = await platform.newPage();
      await signIn(admin, DEMO_USERS.platform);
      await expect(admin).not.toHaveURL(/\/signin/);
      const key = await createApiKeyFor(admin, mandateName);
      const response = await request.post("/api/v1/billing/usage", {
        headers: { authorization: `Bearer ${key}` },
        data: {
          mandateId: mandate.mandateId,
          idempotencyKey: randomUUID(),
          amount: USAGE,
          provider: "openai",
          model: "gpt-4o",
          featureCode: "chat",
        },
      });
      expect(response.status(), await response.text()).toBe(201);
    } finally {
      await platform.close();
    }
  });

  await test.step("the overview shows the recharge, once, and the payments page lists it as paid", async () => {
    recharged = toMoneyString(add(sub(TOP_UP, USAGE), RECHARGE));
    const month = page.getByTestId("auto-recharge-month");
    // The recharge is a job the crossing queued; the page is read again until it shows.
    await expect(async () => {
      await page.goto(mandateUrl);
      await expect(month).toHaveText("1 of 3 recharges used this month", { timeout: 1_000 });
      await expect(page.getByTestId("pool-balance")).toHaveAttribute("data-amount", recharged, { timeout: 1_000 });
    }).toPass({ timeout: 60_000 });
    // Once: after every webhook has been answered, still one recharge and the same balance.
    await waitForStripeDeliveries(request);
    await page.reload();
    await expect(month).toHaveText("1 of 3 recharges used this month");
    await expect(page.getByTestId("pool-balance")).toHaveAttribute("data-amount", recharged);
    await expect(page.getByTestId("pool-balance")).toHaveText(formatMoney(recharged, "en"));
    await expect(page.getByTestId("auto-recharge-state")).toHaveText("On");
    await expect(page.getByTestId("auto-recharge-card")).toHaveText("Card: Visa •••• 4242");
    await expect(page.getByTestId("auto-recharge-failure")).toHaveCount(0);
    // The recharge is a credit of this month: the budget, and with it the threshold, grew by it.
    await expect(page.getByTestId("warning-threshold-budget")).toHaveText(
      `(50 % of the budget of ${formatMoney("120", "en")})`,
    );
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: "test-results/screenshots/auto-recharge-overview.png", fullPage: true });

    await page.setViewportSize({ width: 1366, height: 768 });
    await page.getByRole("navigation").getByRole("link", { name: "Payments" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Payments" })).toBeVisible();
    const rows = page.getByTestId("payment-row");
    await expect(rows).toHaveCount(2);
    // Newest first: the recharge, then the top-up that kept the card.
    await expect(rows.nth(0)).toHaveAttribute("data-status", "PAID");
    await expect(rows.nth(0).locator('[data-field="amount"]')).toHaveText(formatMoney("20.00", "en"));
    await expect(rows.nth(0).locator('[data-field="status"]')).toHaveText("Paid");
    await expect(rows.nth(0).locator('[data-field="card"]')).toHaveText("Visa •••• 4242");
    await expect(rows.nth(1)).toHaveAttribute("data-status", "PAID");
    await expect(rows.nth(1).locator('[data-field="amount"]')).toHaveText(formatMoney("100.00", "en"));
  });

  await test.step("the outbox holds the receipt, the warning and the recharge message, each once", async () => {
    const platform = await browser.newContext();
    try {
      const admin = await platform.newPage();
      await signIn(admin, DEMO_USERS.platform);
      await expect(admin).not.toHaveURL(/\/signin/);
      const ofMandate = (kind: string) =>
        admin
          .locator(`tr[data-kind="${kind}"]`)
          .filter({ has: admin.getByRole("link", { name: mandateName, exact: true }) });
      await expect(async () => {
        await admin.goto("/admin/outbox");
        for (const kind of ["top-up-receipt", "low-balance-warning", "auto-recharge-succeeded"]) {
          await expect(ofMandate(kind), kind).toHaveCount(1, { timeout: 1_000 });
        }
      }).toPass({ timeout: 30_000 });
      for (const kind of ["top-up-receipt", "low-balance-warning", "auto-recharge-succeeded"]) {
        await expect(ofMandate(kind)).toContainText(owner.email);
      }
      await expect(ofMandate("auto-recharge-failed")).toHaveCount(0);
      await admin.screenshot({ path: "test-results/screenshots/auto-recharge-outbox.png", fullPage: true });

      // The top-up and the recharge as Stripe has them match the pool's credits.
      await admin.goto("/admin/reconciliation");
      const reconciled = admin
        .getByRole("region", { name: "Reconciliation per mandate" })
        .getByRole("row")
        .filter({ has: admin.getByRole("link", { name: mandateName, exact: true }) });
      await expect(reconciled).toContainText("OK");
    } finally {
      await platform.close();
    }
  });

  // The same mandate, as its owner sees it in German on a phone.
  await test.step("the auto-recharge card in German, on a phone", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    try {
      await signIn(page, mandate.owner);
      await expect(page).toHaveURL(mandate.mandateUrl);
      await useLanguage(page, "de");
      const card = page.getByTestId("auto-recharge");
      await expect(card.getByRole("heading", { name: "Auto-Nachladung" })).toBeVisible();
      await expect(page.getByTestId("auto-recharge-state")).toHaveText("Ein");
      await expect(page.getByTestId("auto-recharge-card")).toHaveText("Karte: Visa •••• 4242");
      await expect(card).toContainText(`${formatMoney("20", "de")} pro Nachladung`);
      await expect(page.getByTestId("auto-recharge-month")).toHaveText("1 von 3 Nachladungen diesen Monat genutzt");
      await expect(page.getByTestId("pool-balance")).toHaveText(formatMoney(recharged, "de"));
      await expect(page.getByTestId("warning-threshold-budget")).toHaveText(
        `(50 % des Budgets von ${formatMoney("120", "de")})`,
      );
      await card.scrollIntoViewIfNeeded();
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: "test-results/screenshots/auto-recharge-phone-de.png", fullPage: true });
    } finally {
      await useLanguage(page, "en");
      await context.close();
    }
  });
});

import { expect as baseExpect, test, type APIRequestContext, type Page } from "@playwright/test";
import { E2E_STRIPE_PORT } from "../playwright.config";
import { formatMoney } from "../lib/money/format";
import { add, toMoneyString } from "../lib/money/money";
import { createOwnedMandate, seriousViolations, signIn, useLanguage, DEMO_USERS, MANDATE_URL } from "./support";

// Issue 16's plans page and the overview's prompt. The owner's flow runs on a mandate of its own
// (e2e/support.ts createOwnedMandate), without a plan, so the demo mandates other specs read keep
// theirs. The e2e server runs the offline Stripe (scripts/stripe-test-server) on E2E_STRIPE_PORT.
// Sign-ins, server actions and Stripe's pages on a shared machine can take longer than 5 s.
const expect = baseExpect.configure({ timeout: 15_000 });
const STRIPE = `http://127.0.0.1:${E2E_STRIPE_PORT}`;
/** The demo plan the owner subscribes to (prisma/seed/seed-demo.ts). */
const PLAN = { code: "starter", name: "Starter", budget: "20.00" };

/** Every webhook the offline Stripe has queued so far has been answered by the app. */
async function waitForStripeDeliveries(request: APIRequestContext): Promise<void> {
  const waited = await request.post(`${STRIPE}/_test/wait-for-deliveries`);
  expect(waited.ok()).toBe(true);
}

/** The pool balance as the overview renders it: its exact decimal string (data-amount). */
async function poolBalance(page: Page): Promise<string> {
  const balance = page.getByTestId("pool-balance");
  await expect(balance).toBeVisible();
  const amount = (await balance.getAttribute("data-amount")) ?? "";
  expect(amount).toMatch(/^-?\d+(\.\d+)?$/);
  return amount;
}

test("an owner without a plan sees the prompt, subscribes through the test checkout, and sees the plan ACTIVE and its budget credited", async ({
  browser,
  page,
  request,
}) => {
  // A new owner (invitation, reset link), Stripe's checkout page, the webhooks and two scans.
  test.setTimeout(180_000);
  const { mandateUrl, owner } = await createOwnedMandate(browser, "E2E Plans");
  await signIn(page, owner);
  await expect(page).toHaveURL(mandateUrl);
  await useLanguage(page, "en");

  const prompt = page.getByTestId("subscription-prompt");
  await expect(prompt).toContainText("No active plan: AI calls are refused until you choose a plan.");
  const before = await poolBalance(page);

  await prompt.getByRole("link", { name: "Choose a plan" }).click();
  await expect(page).toHaveURL(`${mandateUrl}/plans`);
  await expect(page.getByRole("heading", { level: 1, name: "Plans" })).toBeVisible();
  await expect(
    page.getByRole("navigation", { name: "Mandate navigation" }).getByRole("link", { name: "Plans" }),
  ).toHaveAttribute("aria-current", "page");
  const summary = page.getByTestId("subscription-summary");
  await expect(summary).toHaveAttribute("data-status", "NONE");
  const card = page.locator(`[data-testid="plan-card"][data-plan-code="${PLAN.code}"]`);
  await expect(card).toContainText(`${formatMoney("29.00", "en")} per month`);
  await expect(card).toContainText(`AI budget credited per period: ${formatMoney(PLAN.budget, "en")}`);
  await expect(card).toContainText("Included storage: 1 GB");
  expect(await seriousViolations(page)).toEqual([]);

  await card.getByRole("button", { name: `Subscribe to ${PLAN.name}` }).click();
  await expect(page).toHaveURL(new RegExp(`^${STRIPE}/checkout/cs_`));
  await page.locator("#card").fill("4242 4242 4242 4242");
  await page.locator("#pay").click();

  await expect(page).toHaveURL(new RegExp(`${mandateUrl}/plans\\?checkout=success`));
  // Before or after the webhook: either notice is right.
  await expect(page.getByTestId("plans-notice")).toHaveAttribute("data-notice", /^checkout(Success|Active)$/);
  await waitForStripeDeliveries(request);

  // Needs the lead's webhook handling (lib/subscriptions/sync-stripe-subscription.ts): the paid
  // first invoice makes the subscription ACTIVE and credits the plan's budget once.
  await expect(async () => {
    await page.reload();
    await baseExpect(summary).toHaveAttribute("data-status", "ACTIVE", { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(summary.getByTestId("subscription-plan")).toHaveText(PLAN.name);
  await expect(summary.getByTestId("subscription-status")).toHaveText("Active");
  await expect(summary.getByTestId("subscription-credited")).toHaveAttribute("data-amount", PLAN.budget);
  await expect(summary.getByTestId("subscription-renewal")).toContainText(`for ${formatMoney("29.00", "en")}`);
  await expect(card).toHaveAttribute("data-current", "true");
  await expect(card.getByRole("button")).toHaveCount(0);
  await expect(page.getByTestId("cancel-plan")).toBeVisible();
  await expect(page.getByTestId("billing-portal")).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/plans-owner.png", fullPage: true });

  // German once: the state's label and the page's title.
  await useLanguage(page, "de");
  await expect(page.getByRole("heading", { level: 1, name: "Pläne" })).toBeVisible();
  await expect(summary.getByTestId("subscription-status")).toHaveText("Aktiv");
  await useLanguage(page, "en");

  // A phone: the plans stack in one column.
  await page.setViewportSize({ width: 390, height: 844 });
  const boxes = await page
    .getByTestId("plan-card")
    .evaluateAll((cards) => cards.map((c) => Math.round(c.getBoundingClientRect().left)));
  expect(new Set(boxes).size).toBe(1);
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.goto(mandateUrl);
  await expect(page.getByTestId("subscription-card")).toHaveAttribute("data-status", "ACTIVE");
  await expect(page.getByTestId("subscription-prompt")).toHaveCount(0);
  await expect(page.getByTestId("pool-balance")).toHaveAttribute(
    "data-amount",
    toMoneyString(add(before, PLAN.budget)),
  );

  // Cancelling asks first, then the plan runs to its period's end and may be kept.
  await page.goto(`${mandateUrl}/plans`);
  await page.getByTestId("cancel-plan").click();
  const dialog = page.getByRole("dialog", { name: "Cancel the plan?" });
  await expect(dialog).toContainText(`${PLAN.name} stays active until`);
  await dialog.getByRole("button", { name: "Cancel at the period's end" }).click();
  await expect(summary.getByTestId("subscription-renewal")).toContainText("Ends on");
  await expect(summary).toHaveAttribute("data-status", "ACTIVE");
  await expect(page.getByTestId("cancel-plan")).toHaveCount(0);
  await expect(card.getByRole("button", { name: new RegExp(`^Keep ${PLAN.name} after `) })).toBeVisible();
});

test("a MEMBER sees the plans and the current one, but no buttons, and a line saying the owner chooses", async ({
  page,
}) => {
  test.setTimeout(60_000);
  // Not signInToMandate: its 5 s for the sign-in's redirects are too few on a busy machine.
  await signIn(page, DEMO_USERS.member);
  await expect(page).toHaveURL(MANDATE_URL);
  const overviewUrl = page.url();
  await useLanguage(page, "en");
  // Demo AG runs on Team (granted): no prompt on the overview, the card says so.
  await expect(page.getByTestId("subscription-card")).toHaveAttribute("data-status", "ACTIVE");
  await expect(page.getByTestId("subscription-prompt")).toHaveCount(0);

  await page.getByRole("navigation", { name: "Mandate navigation" }).getByRole("link", { name: "Plans" }).click();
  await expect(page).toHaveURL(`${overviewUrl}/plans`);
  await expect(page.getByTestId("plan-card")).toHaveCount(3);
  await expect(page.locator('[data-testid="plan-card"][data-plan-code="team"]')).toHaveAttribute(
    "data-current",
    "true",
  );
  await expect(page.getByTestId("subscription-summary")).toHaveAttribute("data-status", "ACTIVE");
  await expect(page.getByTestId("plans-owner-chooses")).toHaveText(
    "The mandate's owner chooses, changes and cancels the plan.",
  );
  await expect(page.getByRole("main").getByRole("button")).toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);
});

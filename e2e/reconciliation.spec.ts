import { expect, test } from "@playwright/test";
import { seriousViolations, signInAndWait, useLanguage, DEMO_USERS } from "./support";

// The e2e database keeps earlier runs' data (and the offline Stripe forgets its payments on each
// start), so only Muster GmbH, which no e2e test tops up, is asserted to reconcile.
test("a platform admin reads the reconciliation per mandate, in English and German", async ({ page }) => {
  await signInAndWait(page, DEMO_USERS.platform);
  // English whatever an interrupted earlier run left as the user's language.
  await useLanguage(page, "en");
  await page.getByRole("link", { name: "Reconciliation" }).click();
  await expect(page).toHaveURL(/\/admin\/reconciliation$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Reconciliation");
  // `npm start` without STRIPE_SECRET_KEY runs the offline Stripe, and the page compares with it.
  await expect(page.getByTestId("reconciliation-stripe")).toContainText("Compared with Stripe");
  await expect(page.getByTestId("reconciliation-summary")).toHaveText(/No drift|drift\(s\) found/);
  const mandates = page.getByRole("region", { name: "Reconciliation per mandate" });
  const muster = mandates
    .getByRole("row")
    .filter({ has: page.getByRole("link", { name: "Muster GmbH", exact: true }) });
  await expect(muster).toContainText("OK");
  await expect(mandates.getByRole("link", { name: "Demo AG", exact: true })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: "test-results/screenshots/admin-reconciliation.png", fullPage: true });

  await useLanguage(page, "de");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Abstimmung");
  await expect(page.getByTestId("reconciliation-stripe")).toContainText("Mit Stripe abgeglichen");
  await expect(page.getByRole("region", { name: "Abstimmung pro Mandant" })).toContainText("Muster GmbH");
  // Leave the demo user as seeded (English).
  await useLanguage(page, "en");
});

test("people who are not platform admins get the 404 page for the reconciliation", async ({ page }) => {
  await signInAndWait(page, DEMO_USERS.owner);
  const response = await page.goto("/admin/reconciliation");
  expect(response?.status()).toBe(404);
  await expect(page.getByTestId("not-found")).toBeVisible();
  await expect(page.getByRole("link", { name: "Reconciliation" })).toHaveCount(0);
});

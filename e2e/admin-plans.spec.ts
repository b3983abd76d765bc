import { expect, test, type Page } from "@playwright/test";
import { seriousViolations, signIn, useLanguage, DEMO_USERS, type Credentials } from "./support";

// A machine shared with builds and other suites can take longer than 5 s for a server action.
const patient = expect.configure({ timeout: 15_000 });

/** Signs in and waits, patiently: the first sign-in hashes a password on a busy machine. */
async function signInAndWait(page: Page, user: Credentials): Promise<void> {
  await signIn(page, user);
  await patient(page).not.toHaveURL(/\/signin/);
}

test("a platform admin creates a plan and grants it to a new mandate, which runs on it at once", async ({ page }) => {
  // Three pages and four server actions: longer than the default on a shared machine.
  test.setTimeout(120_000);
  // Unique names: the e2e database keeps earlier runs' plans and mandates.
  const stamp = Date.now();
  const code = `e2e-${stamp}`;
  const nameEn = `E2E Plan ${stamp}`;
  await signInAndWait(page, DEMO_USERS.platform);
  await useLanguage(page, "en");
  await page.getByRole("link", { name: "Plan catalogue" }).click();
  await expect(page).toHaveURL(/\/admin\/plans$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Plan catalogue");
  const catalogue = page.getByRole("region", { name: "Plans" });
  // The demo's plans, with the ids admins may see.
  await expect(catalogue.locator("tr[data-plan-code]")).not.toHaveCount(0);

  // Wrong entries: an inline error per field, nothing saved.
  await page.getByLabel("Code", { exact: true }).fill("Not a code");
  await page.getByLabel("Name (German)").fill(`E2E Plan ${stamp}`);
  await page.getByLabel("Name (English)").fill(nameEn);
  await page.getByLabel("Monthly price (CHF)").fill("19.999");
  await page.getByLabel("AI budget per period (CHF)").fill("25");
  await page.getByLabel("Included storage (MB)").fill("512");
  await page.getByRole("button", { name: "Create plan" }).click();
  await patient(page.getByText("Enter CHF with up to 2 decimals, such as 29.00.")).toBeVisible();
  await expect(page.getByLabel("Monthly price (CHF)")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Code", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(catalogue.getByText(nameEn)).toHaveCount(0);

  await page.getByLabel("Code", { exact: true }).fill(code);
  await page.getByLabel("Monthly price (CHF)").fill("19.00");
  await page.getByRole("button", { name: "Create plan" }).click();
  await patient(page.getByTestId("plan-saved")).toHaveText(`Plan ${code} created.`);
  const row = catalogue.locator(`tr[data-plan-code="${code}"]`);
  await expect(row).toContainText(nameEn);
  await expect(row).toContainText(/CHF\s?19\.00/);
  await expect(row).toContainText(/CHF\s?25\.00/);
  await expect(row).toContainText("Active");
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: "test-results/screenshots/admin-plans.png", fullPage: true });

  // A fresh mandate, made on the admin page: it starts without a plan.
  await page.goto("/admin");
  const mandateName = `E2E Plan Mandate ${stamp}`;
  await page.getByLabel("Name", { exact: true }).fill(mandateName);
  await page.getByRole("button", { name: "Create mandate" }).click();
  await patient(page.getByTestId("mandate-created")).toContainText(mandateName);
  await page.getByTestId("mandate-created").getByRole("link").click();
  await patient(page.getByTestId("mandate-name")).toHaveText(mandateName);
  await expect(page.getByTestId("subscription-none")).toBeVisible();
  await expect(page.getByTestId("pool-balance")).toHaveText("CHF 0.00");

  // No reason: refused at the field, nothing granted.
  const planValue = await page.locator("option", { hasText: nameEn }).getAttribute("value");
  await page.getByLabel("Plan to grant").selectOption(planValue ?? "");
  await page.getByRole("button", { name: "Grant plan" }).click();
  await patient(page.getByText("Enter a reason of 3 to 500 characters.")).toBeVisible();
  await expect(page.getByLabel("Reason for the grant")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("subscription-none")).toBeVisible();

  await page.getByLabel("Reason for the grant").fill("Invoiced customer, contract E2E");
  await page.getByRole("button", { name: "Grant plan" }).click();
  await patient(page.getByTestId("grant-result")).toHaveText("Plan granted: active now, its AI budget is credited.");
  const subscription = page.getByTestId("subscription-operative");
  await patient(subscription.getByTestId("subscription-status")).toHaveText("Active");
  await expect(subscription.getByTestId("subscription-plan")).toContainText(nameEn);
  await expect(subscription).toContainText("Granted by a platform admin (invoiced)");
  await expect(subscription.getByTestId("subscription-credited")).toHaveText("CHF 25.00");
  await expect(page.getByTestId("pool-balance")).toHaveText("CHF 25.00");
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: "test-results/screenshots/admin-mandate-plan.png", fullPage: true });
  // After a reload it is still there, credited once.
  await page.reload();
  await expect(page.getByTestId("subscription-operative").getByTestId("subscription-status")).toHaveText("Active");
  await expect(page.getByTestId("pool-balance")).toHaveText("CHF 25.00");

  // Deactivated, not deleted: it stays in the catalogue and leaves the grant form.
  await page.goto("/admin/plans");
  await row.getByRole("link", { name: `Edit ${code}` }).click();
  await expect(page.getByRole("heading", { name: `Edit plan ${code}` })).toBeVisible();
  await expect(page.getByLabel("Code", { exact: true })).toHaveAttribute("readonly", "");
  await page.getByLabel("Offered to customers").uncheck();
  await page.getByRole("button", { name: "Save plan" }).click();
  await patient(page.getByTestId("plan-saved")).toHaveText(`Plan ${code} saved.`);
  await patient(row).toContainText("Inactive");
});

test("the plan catalogue speaks German", async ({ page }) => {
  await signInAndWait(page, DEMO_USERS.platform);
  await page.goto("/admin/plans");
  await useLanguage(page, "de");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Plankatalog");
  await page.getByRole("button", { name: "Plan erstellen" }).click();
  await patient(
    page.getByText("Geben Sie einen Code aus Kleinbuchstaben, Ziffern und Bindestrichen ein", { exact: false }),
  ).toBeVisible();
  await expect(page.getByText("Geben Sie einen Namen mit 2 bis 80 Zeichen ein.").first()).toBeVisible();
  // Leave the demo user as seeded (English).
  await useLanguage(page, "en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Plan catalogue");
});

test("people who are not platform admins get the 404 page for the plan catalogue", async ({ page }) => {
  await signInAndWait(page, DEMO_USERS.owner);
  const response = await page.goto("/admin/plans");
  expect(response?.status()).toBe(404);
  await expect(page.getByTestId("not-found")).toBeVisible();
  await expect(page.getByRole("link", { name: "Plan catalogue" })).toHaveCount(0);
});

import { expect, test } from "@playwright/test";
import { seriousViolations, signInAndWait, useLanguage, DEMO_USERS } from "./support";

// Demo users from prisma/seed/seed-demo.ts (the e2e server seeds billing_e2e with them).
const PLATFORM = DEMO_USERS.platform;
const OWNER = DEMO_USERS.owner;

test("a platform admin creates a mandate, books on it and manages its API key", async ({ page }) => {
  await signInAndWait(page, PLATFORM);
  await page.goto("/admin");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Platform administration");
  const mandates = page.getByRole("region", { name: "Mandates" });
  for (const name of ["Demo AG", "Muster GmbH"]) {
    const row = mandates.getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });
    await expect(row).toContainText(/CHF\s?[\d'’,.]+/);
  }
  expect(await seriousViolations(page)).toEqual([]);

  // Create a mandate (a unique name: the e2e database keeps earlier runs' mandates).
  const mandateName = `E2E Mandate ${Date.now()}`;
  await page.getByLabel("Name", { exact: true }).fill(mandateName);
  await page.getByLabel("Mistral").check();
  await page.getByRole("button", { name: "Create mandate" }).click();
  await expect(page.getByTestId("mandate-created")).toContainText(mandateName);
  await expect(mandates.getByRole("link", { name: mandateName, exact: true })).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/admin.png", fullPage: true });

  // Book a credit with six decimals.
  await page.getByTestId("mandate-created").getByRole("link").click();
  await expect(page).toHaveURL(/\/admin\/mandates\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("mandate-name")).toHaveText(mandateName);
  await expect(page.getByTestId("pool-balance")).toHaveText("CHF 0.00");
  await page.getByLabel("Type", { exact: true }).selectOption("CREDIT");
  await page.getByLabel("Amount (CHF)").fill("12.345678");
  await page.getByLabel("Reason", { exact: true }).fill("E2E welcome credit");
  await page.getByRole("button", { name: "Book", exact: true }).click();
  await expect(page.getByTestId("booking-result")).toHaveText("Booked. New balance: CHF 12.345678");
  await expect(page.getByTestId("pool-balance")).toHaveText("CHF 12.345678");
  const bookings = page.getByRole("region", { name: "Recent manual bookings" });
  await expect(bookings.getByRole("row").filter({ hasText: "E2E welcome credit" })).toContainText("Paula Platform");
  // The form was reset for the next booking.
  await expect(page.getByLabel("Amount (CHF)")).toHaveValue("");

  // An adjustment without a reason: an inline error, nothing booked.
  await page.getByLabel("Type", { exact: true }).selectOption("ADJUSTMENT");
  await page.getByLabel("Amount (CHF)").fill("-2");
  await page.getByRole("button", { name: "Book", exact: true }).click();
  await expect(page.getByText("Enter a reason of 3 to 500 characters.")).toBeVisible();
  await expect(page.getByLabel("Reason", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("pool-balance")).toHaveText("CHF 12.345678");
  await page.reload();
  await expect(page.getByTestId("pool-balance")).toHaveText("CHF 12.345678");
  await expect(bookings.getByRole("row")).toHaveCount(2); // header + the one credit
  await page.screenshot({ path: "test-results/screenshots/admin-mandate.png", fullPage: true });

  // An API key scoped to the new mandate: shown once, listed, revoked.
  await page.goto("/admin/api-keys");
  const keyName = `e2e key ${Date.now()}`;
  await page.getByLabel("Name", { exact: true }).fill(keyName);
  await page.getByLabel("Scope").selectOption({ label: mandateName });
  await page.getByRole("button", { name: "Create key" }).click();
  const shown = page.getByTestId("new-api-key");
  await expect(shown).toContainText("shown only once");
  await expect(page.getByTestId("api-key-value")).toHaveValue(/^bk_[A-Za-z0-9_-]{40,}$/);
  const key = await page.getByTestId("api-key-value").inputValue();
  const row = page.getByRole("region", { name: "Existing keys" }).getByRole("row").filter({ hasText: keyName });
  await expect(row).toContainText(mandateName);
  await expect(row).toContainText(key.slice(0, 11));
  await expect(row.getByTestId("api-key-status")).toHaveText("Active");
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: "test-results/screenshots/api-keys.png", fullPage: true });

  await row.getByRole("button", { name: `Revoke ${keyName}` }).click();
  const dialog = page.getByRole("dialog", { name: "Revoke API key?" });
  await expect(dialog).toContainText(keyName);
  await dialog.getByRole("button", { name: "Revoke", exact: true }).click();
  await expect(row.getByTestId("api-key-status")).toHaveText("Revoked");
  await expect(row.getByRole("button", { name: `Revoke ${keyName}` })).toHaveCount(0);
  // Shown once: after a reload the key itself is nowhere on the page.
  await page.reload();
  await expect(page.getByTestId("new-api-key")).toHaveCount(0);
  expect(await page.content()).not.toContain(key);
});

test("the admin area speaks German", async ({ page }) => {
  await signInAndWait(page, PLATFORM);
  await page.goto("/admin");
  await useLanguage(page, "de");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Plattform-Administration");
  await expect(page.getByRole("button", { name: "Mandant erstellen" })).toBeVisible();
  await page.getByRole("button", { name: "Mandant erstellen" }).click();
  await expect(page.getByText("Geben Sie einen Namen mit 2 bis 100 Zeichen ein.")).toBeVisible();
  await page.goto("/admin/api-keys");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("API-Schlüssel");
  // Leave the demo user as seeded (English).
  await useLanguage(page, "en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("API keys");
});

test("people who are not platform admins get the 404 page for the admin area", async ({ page }) => {
  await signInAndWait(page, OWNER);
  for (const path of ["/admin", "/admin/api-keys"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByTestId("not-found")).toBeVisible();
  }
});

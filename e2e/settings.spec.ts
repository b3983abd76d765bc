import { expect, test, type Page } from "@playwright/test";
import { seriousViolations, signInToMandate, useLanguage, DEMO_USERS } from "./support";

// Demo users from prisma/seed/seed-demo.ts (the e2e server seeds billing_e2e with them). billing_e2e
// is reused between runs, so the test reads the current values first and restores them at the end.
const ADMIN = DEMO_USERS.admin;
const MEMBER = DEMO_USERS.member;

/** The id of the newest history row, null while there is none. */
async function newestChangeId(page: Page): Promise<string | null> {
  const rows = page.locator("tr[data-change-id]");
  return (await rows.count()) === 0 ? null : rows.first().getAttribute("data-change-id");
}

test("an admin's invalid e-mail is refused inline and saves nothing; a valid change is saved and recorded", async ({
  page,
}) => {
  const mandateUrl = await signInToMandate(page, ADMIN);
  await page.goto(`${mandateUrl}/settings`);
  // Start from English whatever an earlier run left behind (the choice is stored per user).
  await page.getByRole("button", { name: /English/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();

  const threshold = page.getByLabel("Warning threshold (%)");
  const emails = page.getByLabel("E-mails for billing alerts (owner/admin)");
  const language = page.getByLabel("E-mail language");
  const save = page.getByRole("button", { name: "Save settings" });
  const original = {
    threshold: await threshold.inputValue(),
    emails: await emails.inputValue(),
    language: await language.inputValue(),
  };
  const changed = original.threshold === "12.50" ? "15.00" : "12.50";
  const otherLanguage = original.language === "de" ? "en" : "de";
  const languageName = { de: "Deutsch", en: "English" } as const;
  const newestBefore = await newestChangeId(page);

  // 1. A bad e-mail next to a valid threshold change: refused as a whole, the entry stays in the form.
  await threshold.fill(changed);
  await emails.fill(`${original.emails}\nnot-an-email`.trim());
  await save.click();
  await expect(page.getByTestId("settings-error")).toHaveText(
    "Some entries are not valid. Please check the highlighted fields.",
  );
  await expect(page.getByText("“not-an-email” is not a valid e-mail address.")).toBeVisible();
  await expect(emails).toHaveAttribute("aria-invalid", "true");
  await expect(emails).toBeFocused();
  await expect(emails).toHaveValue(/not-an-email/);

  await page.reload();
  await expect(threshold).toHaveValue(original.threshold);
  await expect(emails).toHaveValue(original.emails);
  expect(await newestChangeId(page)).toBe(newestBefore);

  // 2. A valid change: saved, announced, and recorded with old → new.
  await threshold.fill(changed);
  await emails.fill(`${original.emails}\nAlerts@Demo.local`.trim());
  await language.selectOption(otherLanguage);
  await save.click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await expect(threshold).toHaveValue(changed);
  await expect(emails).toHaveValue(/alerts@demo\.local/);
  const row = page.locator('tr[data-field="warningThresholdPercent"]').first();
  await expect(row).toContainText("Warning threshold (%)");
  await expect(row.getByTestId("old-value")).toHaveText(`${original.threshold} %`);
  await expect(row.getByTestId("new-value")).toHaveText(`${changed} %`);
  await expect(row).toContainText(ADMIN.email);
  expect(await newestChangeId(page)).not.toBe(newestBefore);
  const emailRow = page.locator('tr[data-field="notifyEmails"]').first();
  await expect(emailRow.getByTestId("new-value")).toContainText("alerts@demo.local");
  await expect(language).toHaveValue(otherLanguage);
  const languageRow = page.locator('tr[data-field="locale"]').first();
  await expect(languageRow).toContainText("E-mail language");
  await expect(languageRow.getByTestId("old-value")).toHaveText(languageName[original.language as "de" | "en"]);
  await expect(languageRow.getByTestId("new-value")).toHaveText(languageName[otherLanguage]);

  await page.reload();
  await expect(threshold).toHaveValue(changed);
  await page.screenshot({ path: "test-results/screenshots/settings.png", fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);

  // 3. German: the form labels come from the model metadata (the specification's labels).
  await useLanguage(page, "de");
  await expect(page.getByRole("heading", { level: 1, name: "Einstellungen" })).toBeVisible();
  await expect(page.getByLabel("Warnschwelle (%)")).toHaveValue(changed);
  await expect(page.getByLabel("Nachladebetrag (CHF)")).toBeVisible();
  await expect(page.getByLabel("Sprache der E-Mails")).toHaveValue(otherLanguage);
  await expect(page.getByRole("button", { name: "Einstellungen speichern" })).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "Einstellung" })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await useLanguage(page, "en");
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();

  // Leave the demo mandate as it was (the history keeps both changes).
  await threshold.fill(original.threshold);
  await emails.fill(original.emails);
  await language.selectOption(original.language);
  await save.click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await page.reload();
  await expect(threshold).toHaveValue(original.threshold);
  await expect(emails).toHaveValue(original.emails);
  await expect(language).toHaveValue(original.language);
});

test("a member opening the settings page gets the 404 page", async ({ page }) => {
  const mandateUrl = await signInToMandate(page, MEMBER);
  const response = await page.goto(`${mandateUrl}/settings`);
  expect(response?.status()).toBe(404);
  await expect(page.getByTestId("not-found")).toBeVisible();
  await expect(page.getByLabel(/Warning threshold|Warnschwelle/)).toHaveCount(0);
});

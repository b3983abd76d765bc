import { randomUUID } from "node:crypto";
import { expect as baseExpect, test, type Page } from "@playwright/test";
import { seriousViolations, signIn, useLanguage, DEMO_USERS, MANDATE_URL, type Credentials } from "./support";

// One test walks the whole way (two people, three sign-ins, a job): more time than the default,
// and patience for a server that answers its first requests while other suites load the machine.
test.setTimeout(120_000);
const expect = baseExpect.configure({ timeout: 15_000 });

async function signInAndWait(page: Page, user: Credentials): Promise<void> {
  await signIn(page, user);
  await expect(page).not.toHaveURL(/\/signin/);
}

// The e2e server runs without SMTP_URL: the reset mail lands in the outbox, which the platform
// admin reads. The person is new each run: the owner adds them to Demo AG by e-mail (an invited
// account, no password yet) and removes the membership at once, so no run leaves a member behind.
const PERSON = { email: `e2e-reset-${randomUUID().slice(0, 8)}@demo.local`, name: "E2E Reset Person" };
const FIRST_PASSWORD = "first-reset-password-2026";
const SECOND_PASSWORD = "second-changed-password-2026";

async function inviteAndRemove(page: Page): Promise<void> {
  await signIn(page, DEMO_USERS.owner);
  await expect(page).toHaveURL(MANDATE_URL);
  const mandateUrl = page.url();
  await page.goto(`${mandateUrl}/members`);
  await page.getByRole("button", { name: /English/ }).click();
  const form = page.getByTestId("add-member-form");
  await form.getByLabel("E-mail").fill(PERSON.email);
  await form.getByLabel("Name").fill(PERSON.name);
  await form.getByRole("button", { name: "Add member" }).click();
  await expect(page.getByTestId("add-member-status")).toHaveText(`${PERSON.email} was added.`);
  await page.getByRole("button", { name: `Remove ${PERSON.name}` }).click();
  await page
    .getByRole("dialog", { name: "Remove member?" })
    .getByRole("button", { name: "Remove", exact: true })
    .click();
  await expect(page.getByTestId("remove-member-status")).toHaveText(`${PERSON.email} was removed.`);
}

/**
 * The reset link of the newest password-reset mail to `email`, as the platform admin reads it in
 * the outbox (signed in on this page for that, and signed out again after).
 */
async function resetLinkFromOutbox(page: Page, email: string): Promise<string> {
  await page.context().clearCookies();
  await signInAndWait(page, DEMO_USERS.platform);
  const row = page.locator('tr[data-kind="password-reset"]').filter({ hasText: email }).first();
  // The mail is sent by a job after the request's commit: a moment later, at most.
  await expect(async () => {
    await page.goto("/admin/outbox");
    await expect(row).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await row.locator("summary").click();
  const text = await row.getByTestId("outbox-text").innerText();
  await page.context().clearCookies();
  const link = /https?:\/\/\S+\/reset-password\?token=[A-Za-z0-9_-]+/.exec(text)?.[0];
  expect(link, text).toBeDefined();
  return link!;
}

test("a person resets the password through the e-mailed link, then changes it on the account page", async ({
  page,
  browser,
}) => {
  await inviteAndRemove(page);
  await page.context().clearCookies();

  // Request the link from the sign-in page, in German once, then in English.
  await page.goto("/signin");
  await page.getByRole("link", { name: /^(Forgot password\?|Passwort vergessen\?)$/ }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await useLanguage(page, "de");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Passwort zurücksetzen");
  await expect(page).toHaveTitle("Passwort zurücksetzen · AI Billing");
  await useLanguage(page, "en");
  await expect(page).toHaveTitle("Reset password · AI Billing");
  const forgot = page.getByTestId("forgot-password-form");
  await forgot.getByLabel("E-mail").fill("not an address");
  await forgot.getByRole("button", { name: "Send link" }).click();
  await expect(forgot.getByText("Enter a valid e-mail address.")).toBeVisible();
  await forgot.getByLabel("E-mail").fill(PERSON.email.toUpperCase());
  await forgot.getByRole("button", { name: "Send link" }).click();
  await expect(page.getByTestId("forgot-password-sent")).toContainText(`If an account exists for ${PERSON.email}`);
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: "test-results/screenshots/forgot-password.png", fullPage: true });

  // An address without an account gets the same answer.
  const nobody = `e2e-nobody-${randomUUID().slice(0, 8)}@demo.local`;
  await forgot.getByLabel("E-mail").fill(nobody);
  await forgot.getByRole("button", { name: "Send link" }).click();
  await expect(page.getByTestId("forgot-password-sent")).toContainText(`If an account exists for ${nobody}`);

  const link = await resetLinkFromOutbox(page, PERSON.email);
  await page.goto(link);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Choose a new password");
  await expect(page).toHaveTitle("Choose a new password · AI Billing");
  const reset = page.getByTestId("reset-password-form");
  await reset.getByLabel("New password", { exact: true }).fill(FIRST_PASSWORD);
  await reset.getByLabel("Repeat the new password").fill(`${FIRST_PASSWORD}x`);
  await reset.getByRole("button", { name: "Save password" }).click();
  await expect(reset.getByText("The two passwords do not match.")).toBeVisible();
  await reset.getByLabel("New password", { exact: true }).fill(FIRST_PASSWORD);
  await reset.getByLabel("Repeat the new password").fill(FIRST_PASSWORD);
  await reset.getByRole("button", { name: "Save password" }).click();
  await expect(page.getByTestId("reset-password-done")).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  // The link works once.
  await page.goto(link);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("This link no longer works");
  await expect(page.getByTestId("reset-link-invalid").getByRole("link", { name: "Request a new link" })).toBeVisible();

  // Signed in with the new password on two devices, the person changes it on the account page
  // (user menu) of one of them.
  const otherDevice = await browser.newPage();
  await signInAndWait(otherDevice, { email: PERSON.email, password: FIRST_PASSWORD });
  await signInAndWait(page, { email: PERSON.email, password: FIRST_PASSWORD });
  await page.locator("header details summary").click();
  await page.getByRole("link", { name: "Your account" }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page).toHaveTitle("Your account · AI Billing");
  const change = page.getByTestId("change-password-form");
  await change.getByLabel("Current password").fill("not-the-current-one");
  await change.getByLabel("New password", { exact: true }).fill(SECOND_PASSWORD);
  await change.getByLabel("Repeat the new password").fill(SECOND_PASSWORD);
  await change.getByRole("button", { name: "Change password" }).click();
  await expect(change.getByText("The current password is wrong.")).toBeVisible();
  await change.getByLabel("Current password").fill(FIRST_PASSWORD);
  await change.getByLabel("New password", { exact: true }).fill(SECOND_PASSWORD);
  await change.getByLabel("Repeat the new password").fill(SECOND_PASSWORD);
  await change.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByTestId("change-password-status")).toHaveText("Your password has been changed.");
  expect(await seriousViolations(page)).toEqual([]);
  // The change ended the other device's session; this one goes on.
  await otherDevice.goto("/account");
  await expect(otherDevice).toHaveURL(/\/signin/);
  await otherDevice.close();
  await page.reload();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId("change-password-form")).toBeVisible();
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: "test-results/screenshots/account-390.png", fullPage: true });

  // The earlier password fails, the current one works.
  await page.context().clearCookies();
  await signIn(page, { email: PERSON.email, password: FIRST_PASSWORD });
  await expect(page.getByTestId("sign-in-error")).toHaveText("E-mail or password is wrong.");
  await signInAndWait(page, { email: PERSON.email, password: SECOND_PASSWORD });
});

test("a reset link that is not one of ours says so and offers a new one, in German too", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/reset-password?token=${"x".repeat(43)}`);
  await useLanguage(page, "de");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Dieser Link gilt nicht mehr");
  await page.getByRole("link", { name: "Neuen Link anfordern" }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await useLanguage(page, "en");
});

import { expect, test } from "@playwright/test";
import { seriousViolations, signInAndWait, useLanguage, DEMO_USERS } from "./support";

// The e2e server runs without SMTP_URL, so whatever the app sends lands in the outbox. The e2e
// database keeps earlier runs' messages: the page shows either its table or its empty state.
test("a platform admin reads the e-mail outbox, in English and German", async ({ page }) => {
  await signInAndWait(page, DEMO_USERS.platform);
  await useLanguage(page, "en");
  await page.getByRole("link", { name: "E-mail outbox" }).click();
  await expect(page).toHaveURL(/\/admin\/outbox$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("E-mail outbox");
  const table = page.getByRole("region", { name: "Recorded e-mails" });
  const empty = page.getByText("No e-mails yet.");
  await expect(table.or(empty)).toBeVisible();
  if (await table.isVisible()) {
    // The newest message's text opens in place.
    const first = table.getByRole("row").nth(1);
    await first.locator("summary").click();
    await expect(first.getByTestId("outbox-text")).toBeVisible();
  }
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: "test-results/screenshots/admin-outbox.png", fullPage: true });

  await useLanguage(page, "de");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("E-Mail-Ausgang");
  await expect(
    page.getByRole("region", { name: "Aufgezeichnete E-Mails" }).or(page.getByText("Noch keine E-Mails.")),
  ).toBeVisible();
  // Leave the demo user as seeded (English).
  await useLanguage(page, "en");
});

test("people who are not platform admins get the 404 page for the outbox", async ({ page }) => {
  await signInAndWait(page, DEMO_USERS.owner);
  const response = await page.goto("/admin/outbox");
  expect(response?.status()).toBe(404);
  await expect(page.getByTestId("not-found")).toBeVisible();
  await expect(page.getByRole("link", { name: "E-mail outbox" })).toHaveCount(0);
});

import { expect, test } from "@playwright/test";
import { seriousViolations, signIn, DEMO_USERS } from "./support";

test("a platform admin picks any mandate from the list and the header picker", async ({ page }) => {
  await signIn(page, DEMO_USERS.platform);
  // Two mandates and no membership: the list, not a redirect.
  await expect(page).toHaveURL(/\/mandates$/);
  const list = page.getByRole("region", { name: /mandates|mandanten/i });
  await expect(list.getByRole("link", { name: "Demo AG" })).toBeVisible();
  await expect(list.getByRole("link", { name: "Muster GmbH" })).toBeVisible();
  await expect(page.getByRole("link", { name: /API keys|API-Schlüssel/ })).toBeVisible();
  await expect(page.getByRole("link", { name: /Platform admin|Plattform-Admin/ })).toBeVisible();

  await list.getByRole("link", { name: "Muster GmbH" }).click();
  await expect(page.getByTestId("mandate-name")).toHaveText("Muster GmbH");
  const picker = page.getByTestId("mandate-picker");
  await expect(picker.locator("option:checked")).toHaveText("Muster GmbH");
  await picker.selectOption({ label: "Demo AG" });
  await expect(page.getByTestId("mandate-name")).toHaveText("Demo AG");
  // Platform admins act as OWNER: the members page is in the navigation (and the plans, as for everyone).
  await expect(page.getByRole("navigation").getByRole("link")).toHaveCount(7);
});

test("the dashboard fits a phone screen in dark mode", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: "dark" });
  const page = await context.newPage();
  await signIn(page, DEMO_USERS.owner);
  await expect(page.getByTestId("pool-balance")).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: "test-results/screenshots/overview-phone-dark.png", fullPage: true });
  await context.close();
});

test("sign-in page and overview have no serious accessibility violations", async ({ page }) => {
  await page.goto("/signin");
  expect(await seriousViolations(page)).toEqual([]);
  await signIn(page, DEMO_USERS.owner);
  await expect(page.getByTestId("pool-balance")).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.locator("header details summary").click();
  expect(await seriousViolations(page)).toEqual([]);
});

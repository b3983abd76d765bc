import { expect, test, type Page } from "@playwright/test";
import { MANDATE_URL, signIn, DEMO_USERS } from "./support";

// Demo users from prisma/seed/seed-demo.ts (the e2e server seeds billing_e2e with them).
const OWNER = DEMO_USERS.owner;
const ADMIN = DEMO_USERS.admin;
const MEMBER = DEMO_USERS.member;
const MUSTER_OWNER = DEMO_USERS.musterOwner;

async function signOut(page: Page): Promise<void> {
  await page.locator("header details summary").click();
  await page.getByRole("button", { name: /^(sign out|abmelden)$/i }).click();
  await expect(page).toHaveURL(/\/signin$/);
}

test("the owner signs in and lands on the Demo AG overview with its CHF balance", async ({ page }) => {
  await page.goto("/signin");
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/sign-in.png", fullPage: true });

  await signIn(page, OWNER);
  await expect(page).toHaveURL(MANDATE_URL);
  await expect(page.getByTestId("mandate-name")).toHaveText("Demo AG");
  await expect(page.getByTestId("pool-balance")).toContainText("CHF");
  await expect(page.getByTestId("current-mandate")).toHaveText("Demo AG");
  // The owner sees the owner-only navigation (overview, transactions, statistics, plans, members,
  // settings, payments).
  await expect(page.getByRole("navigation").getByRole("link")).toHaveCount(7);
  await page.screenshot({ path: "test-results/screenshots/overview.png", fullPage: true });
});

test("a wrong password shows a clear message and stays on the sign-in page", async ({ page }) => {
  await signIn(page, { email: OWNER.email, password: "not-the-password" });
  await expect(page.getByTestId("sign-in-error")).toHaveText("E-mail or password is wrong.");
  await expect(page).toHaveURL(/\/signin/);
  await expect(page.getByLabel(/^e-mail$/i)).toHaveValue(OWNER.email);
});

test("switching the language to German translates header and navigation and survives a reload", async ({ page }) => {
  await signIn(page, ADMIN);
  await expect(page).toHaveURL(MANDATE_URL);
  const nav = page.getByRole("navigation");
  // Start from English whatever an earlier run left behind (the choice is stored per user).
  await page.getByRole("button", { name: /English/ }).click();
  await expect(nav.getByRole("link", { name: "Overview" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Settings" })).toBeVisible();
  // An ADMIN is not an OWNER: no members page.
  await expect(nav.getByRole("link", { name: "Members" })).toHaveCount(0);

  await page.getByRole("button", { name: /Deutsch/ }).click();
  await expect(nav.getByRole("link", { name: "Übersicht" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Transaktionen" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Einstellungen" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "de");

  await page.reload();
  await expect(nav.getByRole("link", { name: "Übersicht" })).toBeVisible();
  await expect(page.getByRole("button", { name: /Deutsch/ })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByText("Pool-Guthaben").first()).toBeVisible();

  // Leave the demo user as seeded (English).
  await page.getByRole("button", { name: /English/ }).click();
  await expect(nav.getByRole("link", { name: "Overview" })).toBeVisible();
});

test("a member of Demo AG opening Muster GmbH gets the 404 page", async ({ page }) => {
  await signIn(page, MUSTER_OWNER);
  await expect(page).toHaveURL(MANDATE_URL);
  await expect(page.getByTestId("mandate-name")).toHaveText("Muster GmbH");
  const musterUrl = page.url();
  await signOut(page);

  await signIn(page, MEMBER);
  await expect(page).toHaveURL(MANDATE_URL);
  await expect(page.getByTestId("mandate-name")).toHaveText("Demo AG");
  const demoUrl = page.url();
  const response = await page.goto(musterUrl);
  expect(response?.status()).toBe(404);
  await expect(page.getByTestId("not-found")).toBeVisible();
  await expect(page.getByText("Muster GmbH")).toHaveCount(0);

  // Pages above the member's role do not exist for them either.
  const settings = await page.goto(`${demoUrl}/settings`);
  expect(settings?.status()).toBe(404);
  await expect(page.getByTestId("not-found")).toBeVisible();
});

test("signing out returns to the sign-in page and locks the dashboard again", async ({ page }) => {
  await signIn(page, OWNER);
  await expect(page).toHaveURL(MANDATE_URL);
  const overview = page.url();
  await signOut(page);
  await expect(page.getByRole("button", { name: /^(sign in|anmelden)$/i })).toBeVisible();
  await page.goto(overview);
  await expect(page).toHaveURL(/\/signin/);
});

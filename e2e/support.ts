import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/** Demo users seeded by prisma/seed/seed-demo.ts (the e2e database is seeded on start). */
export const DEMO_USERS = {
  owner: { email: "owner@demo.local", password: "owner-demo-2026" },
  admin: { email: "admin@demo.local", password: "admin-demo-2026" },
  member: { email: "member@demo.local", password: "member-demo-2026" },
  platform: { email: "platform@demo.local", password: "platform-demo-2026" },
  musterOwner: { email: "owner@muster.local", password: "muster-demo-2026" },
  /** MEMBER of Demo AG and Muster GmbH. */
  consultant: { email: "consultant@demo.local", password: "consultant-demo-2026" },
} as const;

export type Credentials = { email: string; password: string };

export const MANDATE_URL = /\/mandates\/[0-9a-f-]{36}$/;

/** Fills and submits the sign-in form, in either language; asserts nothing about the outcome. */
export async function signIn(page: Page, user: Credentials): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel(/^e-mail$/i).fill(user.email);
  await page.getByLabel(/^(password|passwort)$/i).fill(user.password);
  await page.getByRole("button", { name: /^(sign in|anmelden)$/i }).click();
}

/** Signs in and waits until the app has let the user in (any page but the sign-in page). */
export async function signInAndWait(page: Page, user: Credentials): Promise<void> {
  await signIn(page, user);
  await expect(page).not.toHaveURL(/\/signin/);
}

/** Signs in a member of exactly one mandate, who lands on its overview; returns that URL. */
export async function signInToMandate(page: Page, user: Credentials): Promise<string> {
  await signIn(page, user);
  await expect(page).toHaveURL(MANDATE_URL);
  return page.url();
}

/**
 * axe findings that block: serious and critical only. The page's title is awaited first: after a
 * client-side refresh (the language switch, a server action) React puts the hoisted <title> back
 * in the head, and axe once ran in between and reported a missing document title.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  await expect(page).toHaveTitle(/\S/);
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/**
 * Switches the language with the header buttons and waits until the refreshed page is the only
 * one in the document. The language is stored per user: tests that switch it restore the seeded one.
 */
export async function useLanguage(page: Page, lang: "en" | "de"): Promise<void> {
  await page.getByRole("button", { name: lang === "en" ? /English/ : /Deutsch/ }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", lang);
  // The refreshed page replaces the old one in a transition; until it is done, the old tree can
  // still be in the document (hidden), and a test id would match twice.
  await expect(page.getByRole("button", { name: lang === "en" ? /English/ : /Deutsch/ })).toHaveAttribute(
    "aria-pressed",
    "true",
  );
  await expect(page.locator("main")).toHaveCount(1);
}

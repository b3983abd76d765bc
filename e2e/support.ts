import AxeBuilder from "@axe-core/playwright";
import { expect, type Browser, type Page } from "@playwright/test";

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

/**
 * For the multi-step helpers below: on a machine shared with builds and other suites, a sign-in
 * (password hashing, two redirects) or a server action can take longer than expect's 5 s.
 */
const patient = expect.configure({ timeout: 15_000 });

export interface OwnedMandate {
  mandateId: string;
  mandateName: string;
  /** The mandate's overview, e.g. http://localhost:3100/mandates/<id>. */
  mandateUrl: string;
  /** The mandate's only member, an OWNER with a password (and no other mandate). */
  owner: Credentials;
}

/**
 * A mandate of a spec's own, made the way people make one, so the spec may change its settings
 * and balance without touching the demo mandates other specs read. A platform admin creates the
 * mandate and adds a new person as OWNER (an invitation: a user without password); that person
 * sets a first password through the reset link, which the platform admin reads in the outbox.
 * Names carry the time: billing_e2e keeps earlier runs' mandates and users.
 */
export async function createOwnedMandate(browser: Browser, prefix: string): Promise<OwnedMandate> {
  const stamp = Date.now();
  const mandateName = `${prefix} ${stamp}`;
  const owner = { email: `e2e-owner-${stamp}@demo.local`, password: `e2e-owner-pass-${stamp}` };
  const platform = await browser.newContext();
  const visitor = await browser.newContext();
  try {
    const admin = await platform.newPage();
    await signIn(admin, DEMO_USERS.platform);
    await patient(admin).not.toHaveURL(/\/signin/);
    await admin.goto("/admin");
    // The labels below are English; the language is stored per user (useLanguage, for pages).
    await admin.getByRole("button", { name: /English/ }).click();
    await patient(admin.locator("html")).toHaveAttribute("lang", "en");
    await admin.getByLabel("Name", { exact: true }).fill(mandateName);
    await admin.getByRole("button", { name: "Create mandate" }).click();
    const created = admin.getByTestId("mandate-created");
    await patient(created).toContainText(mandateName);
    const href = (await created.getByRole("link").getAttribute("href")) ?? "";
    const mandateId = /\/admin\/mandates\/([0-9a-f-]{36})$/.exec(href)?.[1];
    if (!mandateId) throw new Error(`no mandate id in ${href}`);

    // A platform admin acts as OWNER of every mandate, so may add its first member.
    await admin.goto(`/mandates/${mandateId}/members`);
    const form = admin.getByTestId("add-member-form");
    await form.getByLabel("E-mail").fill(owner.email);
    await form.getByLabel("Name").fill(`E2E Owner ${stamp}`);
    await form.getByLabel("Role").selectOption("OWNER");
    await form.getByRole("button", { name: "Add member" }).click();
    await patient(admin.getByTestId("add-member-status")).toHaveText(`${owner.email} was added.`);

    const person = await visitor.newPage();
    await person.goto("/forgot-password");
    await person.getByLabel("E-mail").fill(owner.email);
    await person.getByRole("button", { name: "Send link" }).click();
    await patient(person.getByTestId("forgot-password-sent")).toContainText(owner.email);

    const link = await readOutboxLink(
      admin,
      "password-reset",
      owner.email,
      /https?:\/\/\S+\/reset-password\?token=\S+/,
    );
    await person.goto(link);
    await person.getByLabel("New password", { exact: true }).fill(owner.password);
    await person.getByLabel("Repeat the new password").fill(owner.password);
    await person.getByRole("button", { name: "Save password" }).click();
    await patient(person.getByTestId("reset-password-done")).toBeVisible();

    const mandateUrl = new URL(`/mandates/${mandateId}`, admin.url()).toString();
    return { mandateId, mandateName, mandateUrl, owner };
  } finally {
    await visitor.close();
    await platform.close();
  }
}

/**
 * The first match of `pattern` in the text of the newest outbox message of `kind` to
 * `recipient`, once the job that sends it has run (the page is read again until it is there).
 */
export async function readOutboxLink(page: Page, kind: string, recipient: string, pattern: RegExp): Promise<string> {
  const message = page.locator(`tr[data-kind="${kind}"]`).filter({ hasText: recipient }).first();
  await patient(async () => {
    await page.goto("/admin/outbox");
    await patient(message).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  const text = (await message.getByTestId("outbox-text").textContent()) ?? "";
  const found = pattern.exec(text)?.[0];
  if (!found) throw new Error(`no ${String(pattern)} in the ${kind} message to ${recipient}`);
  return found;
}

/** A new API key scoped to one mandate, created by a signed-in platform admin on /admin/api-keys. */
export async function createApiKeyFor(page: Page, mandateName: string): Promise<string> {
  await page.goto("/admin/api-keys");
  await page.getByLabel("Name", { exact: true }).fill(`e2e key ${Date.now()}`);
  await page.getByLabel("Scope").selectOption({ label: mandateName });
  await page.getByRole("button", { name: "Create key" }).click();
  await patient(page.getByTestId("api-key-value")).toHaveValue(/^bk_[A-Za-z0-9_-]{40,}$/);
  return page.getByTestId("api-key-value").inputValue();
}

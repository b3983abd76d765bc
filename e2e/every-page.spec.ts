import { expect, test, type Page } from "@playwright/test";
import deAuth from "../locales/de/auth.json" with { type: "json" };
import deBilling from "../locales/de/billing.json" with { type: "json" };
import deCommon from "../locales/de/common.json" with { type: "json" };
import deErrors from "../locales/de/errors.json" with { type: "json" };
import enAuth from "../locales/en/auth.json" with { type: "json" };
import enBilling from "../locales/en/billing.json" with { type: "json" };
import enCommon from "../locales/en/common.json" with { type: "json" };
import enErrors from "../locales/en/errors.json" with { type: "json" };
import { DEMO_USERS, MANDATE_URL, signIn, useLanguage as switchLanguage, type Credentials } from "./support";

/**
 * Every page, as each demo person who sees it differently, at a laptop's and a phone's size, in
 * both languages: a full-page screenshot of each (test-results/screenshots/<lang>-<width>-<page>.png,
 * for a person to look through), no page wider than its window, no English-only text on a
 * German page, and no billing internals on a customer's page. One sign-in per person; the
 * problems of all pages are collected and reported together.
 */

type Lang = "de" | "en";
const LANGS: Lang[] = ["de", "en"];
const SIZES = [
  { width: 1366, height: 768 },
  { width: 390, height: 844 },
] as const;

/** Strings that only the English locale files hold, lower-cased (innerText follows text-transform). */
const ENGLISH_ONLY = englishOnlyStrings();

/**
 * The demo people's names are data, not UI text ("Paula Platform" is no English-only string); so
 * are the mandates, people and plans other specs create ("E2E Auto-recharge 1796…" in the platform
 * admin's mandate picker), each on a line of its own.
 */
const DEMO_NAMES = /Olivia Owner|Adrian Admin|Mia Member|Paula Platform|Max Muster|Chris Consultant|\bE2E\b[^\n]*/g;

/** Customers' words (issue 17): Stripe ids, the month-reset counter and migrations stay internal. */
const INTERNALS = /\bcus_[A-Za-z0-9]+|month[ -]?reset|monthResetAt|migration/i;

interface PageVisit {
  /** The name in the screenshot's file name, e.g. "owner-overview". */
  name: string;
  path: string;
  /** Customer pages: no internals (INTERNALS) in their text. */
  customer?: boolean;
  /** Shows stored texts in their own language (the outbox's e-mails): no English-only check. */
  storedTexts?: boolean;
}

test("the public pages fit, speak the visitor's language and show no internals", async ({ browser }) => {
  test.setTimeout(90_000);
  const problems: string[] = [];
  const visits: PageVisit[] = [
    { name: "start", path: "/", customer: true },
    { name: "signin", path: "/signin", customer: true },
    { name: "forgot-password", path: "/forgot-password", customer: true },
    // Without a usable token the page says the link is invalid; the form itself is covered by
    // the password-reset spec, which reads a real link from the outbox.
    { name: "reset-password", path: "/reset-password?token=not-a-token", customer: true },
    { name: "not-found", path: "/no-such-page", customer: true },
  ];
  for (const lang of LANGS) {
    // Signed out, the language is the cookie the language switch sets.
    const context = await browser.newContext({ viewport: SIZES[0] });
    const baseURL = test.info().project.use.baseURL ?? "http://localhost:3100";
    await context.addCookies([{ name: "locale", value: lang, url: baseURL }]);
    const page = await context.newPage();
    await visitAll(page, lang, visits, problems);
    await context.close();
  }
  expect(problems).toEqual([]);
});

test("the owner's pages", async ({ page }) => {
  test.setTimeout(150_000);
  const overview = await signInPatiently(page, DEMO_USERS.owner, MANDATE_URL);
  const base = new URL(overview).pathname;
  await visitInBothLanguages(page, DEMO_USERS.owner, "de", [
    { name: "owner-overview", path: base, customer: true },
    { name: "owner-transactions", path: `${base}/transactions`, customer: true },
    { name: "owner-statistics", path: `${base}/statistics`, customer: true },
    { name: "owner-plans", path: `${base}/plans`, customer: true },
    { name: "owner-payments", path: `${base}/payments`, customer: true },
    { name: "owner-top-up", path: `${base}/top-up`, customer: true },
    { name: "owner-settings", path: `${base}/settings`, customer: true },
    { name: "owner-members", path: `${base}/members`, customer: true },
    { name: "owner-account", path: "/account", customer: true },
  ]);
});

test("an admin's and a member's pages", async ({ browser }) => {
  test.setTimeout(120_000);
  for (const [who, user, seeded, pages] of [
    ["admin", DEMO_USERS.admin, "en", ["", "/settings"]],
    ["member", DEMO_USERS.member, "de", ["", "/transactions", "/statistics"]],
  ] as const) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const base = new URL(await signInPatiently(page, user, MANDATE_URL)).pathname;
    await visitInBothLanguages(
      page,
      user,
      seeded,
      pages.map((path) => ({ name: `${who}-${path.slice(1) || "overview"}`, path: `${base}${path}`, customer: true })),
    );
    await context.close();
  }
});

test("a platform admin's pages", async ({ page }) => {
  test.setTimeout(120_000);
  await signInPatiently(page, DEMO_USERS.platform, /\/mandates$/);
  await page.goto("/admin");
  const mandateHref = await page.locator('a[href^="/admin/mandates/"]').first().getAttribute("href");
  expect(mandateHref).toBeTruthy();
  await visitInBothLanguages(page, DEMO_USERS.platform, "en", [
    { name: "platform-mandates", path: "/mandates" },
    { name: "platform-admin", path: "/admin" },
    { name: "platform-admin-mandate", path: mandateHref ?? "/admin" },
    { name: "platform-api-keys", path: "/admin/api-keys" },
    { name: "platform-plans", path: "/admin/plans" },
    { name: "platform-outbox", path: "/admin/outbox", storedTexts: true },
    { name: "platform-reconciliation", path: "/admin/reconciliation" },
  ]);
});

test("pages carry a title in the viewer's language", async ({ page }) => {
  const overview = await signInPatiently(page, DEMO_USERS.owner, MANDATE_URL);
  // The owner's seeded language is German (a run stopped half-way may have left English).
  if ((await page.locator("html").getAttribute("lang")) !== "de") await switchLanguage(page, "de");
  await expect(page).toHaveTitle("Übersicht · Demo AG · AI Billing");
  await page.goto(`${overview}/transactions`);
  await expect(page).toHaveTitle("Transaktionen · Demo AG · AI Billing");
  await page.goto(`${overview}/members`);
  await expect(page).toHaveTitle("Mitglieder · Demo AG · AI Billing");
  await page.goto("/account");
  await expect(page).toHaveTitle("Ihr Konto · AI Billing");
  await page.context().clearCookies();
  await page.context().addCookies([{ name: "locale", value: "en", url: new URL(overview).origin }]);
  await page.goto("/signin");
  await expect(page).toHaveTitle("Sign in · AI Billing");
  const icon = await page.request.get("/icon.svg");
  expect(icon.status()).toBe(200);
  expect(await page.locator('link[rel="icon"]').count()).toBeGreaterThan(0);
});

/**
 * Visits the pages in the person's seeded language, then in the other one, and switches back:
 * the language is stored per user and other specs expect the seeded one.
 */
async function visitInBothLanguages(page: Page, user: Credentials, seeded: Lang, visits: PageVisit[]): Promise<void> {
  const problems: string[] = [];
  const other: Lang = seeded === "de" ? "en" : "de";
  // A run stopped half-way may have left the person in the other language.
  if ((await page.locator("html").getAttribute("lang")) !== seeded) await switchLanguage(page, seeded);
  try {
    await visitAll(page, seeded, visits, problems);
    await switchLanguage(page, other);
    await visitAll(page, other, visits, problems);
  } finally {
    await page.setViewportSize(SIZES[0]);
    await page.goto(visits[0]?.path ?? "/mandates");
    await switchLanguage(page, seeded);
  }
  expect(problems, `as ${user.email}`).toEqual([]);
}

/**
 * Each page is loaded once per language and looked at in both sizes: the layouts follow the
 * window (media queries, resize observers), so a resize shows what a load at that size would.
 */
async function visitAll(page: Page, lang: Lang, visits: PageVisit[], problems: string[]): Promise<void> {
  for (const visit of visits) {
    await page.goto(visit.path);
    await settle(page);
    await expect(page.locator("html")).toHaveAttribute("lang", lang);
    for (const size of SIZES) {
      await page.setViewportSize(size);
      // Two frames: resize observers (the charts, the navigation's edge fades) have re-rendered.
      await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
      await page.screenshot({
        path: `test-results/screenshots/${lang}-${size.width}-${visit.name}.png`,
        fullPage: true,
      });
      const where = `${lang} ${size.width} ${visit.name}`;
      const { overflow, text, widest, scrolled, tabProblems } = await page.evaluate(() => {
        const width = window.innerWidth;
        const overflow = document.documentElement.scrollWidth - width;
        // The element sticking out furthest, to name in the report.
        const insideScroller = (el: Element): boolean => {
          for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
            if (getComputedStyle(up).overflowX !== "visible") return true;
          }
          return false;
        };
        let widest = "";
        let right = width;
        for (const el of overflow > 0 ? Array.from(document.body.querySelectorAll("*")) : []) {
          // What a scrolling box (a table's, the navigation's) holds does not widen the page.
          if (insideScroller(el)) continue;
          const box = el.getBoundingClientRect();
          if (box.right > right + 0.5) {
            right = box.right;
            widest = `${el.tagName.toLowerCase()}.${String(el.className).split(" ")[0]} (${Math.round(box.right)}px)`;
          }
        }
        // On a laptop no table needs sideways scrolling either (its own scroll box hides it from
        // the page's width): on a phone they may scroll, or turn into cards.
        const scrolled =
          width < 1000
            ? []
            : Array.from(document.querySelectorAll<HTMLElement>('[role="region"]'))
                .filter((box) => box.scrollWidth > box.clientWidth + 1)
                .map((box) => `${box.getAttribute("aria-label")} (${box.scrollWidth - box.clientWidth}px)`);
        // The mandate's tabs: the current one in view, and a row that scrolls says so (an edge fade).
        const tabs = document.querySelector<HTMLElement>("nav ul");
        const current = tabs?.querySelector('[aria-current="page"]')?.getBoundingClientRect();
        const nav = tabs?.closest("nav");
        const tabProblems = [
          current && (current.left < 0 || current.right > width) ? "the current tab is out of view" : "",
          tabs && tabs.scrollWidth > tabs.clientWidth && !nav?.matches("[data-more-before], [data-more-after]")
            ? "the tabs scroll without a sign that they do"
            : "",
        ].filter(Boolean);
        return { overflow, text: document.body.innerText, widest, scrolled, tabProblems };
      });
      if (overflow > 0) problems.push(`${where}: ${overflow}px wider than the window; ${widest}`);
      for (const table of scrolled) problems.push(`${where}: scrolls sideways: ${table}`);
      for (const tab of tabProblems) problems.push(`${where}: ${tab}`);
      if (lang === "de" && !visit.storedTexts) {
        const haystack = normalise(text.replace(DEMO_NAMES, ""));
        for (const english of ENGLISH_ONLY) {
          if (english.pattern.test(haystack)) problems.push(`${where}: English "${english.text}"`);
        }
      }
      if (visit.customer) {
        const internal = INTERNALS.exec(text);
        if (internal) problems.push(`${where}: internal "${internal[0]}"`);
      }
    }
  }
}

/** Waits until the page's own data has arrived: no loading spinner (the pages render on the server). */
async function settle(page: Page): Promise<void> {
  await expect(page.locator('[role="status"][aria-label]')).toHaveCount(0);
}

/**
 * Signs in and waits for the landing page, patiently: on a machine shared with builds, the
 * first sign-in (password hashing, two redirects) can take longer than expect's 5 s.
 */
async function signInPatiently(page: Page, user: Credentials, landing: RegExp): Promise<string> {
  await signIn(page, user);
  await expect(page).toHaveURL(landing, { timeout: 20_000 });
  return page.url();
}

/**
 * English values long enough to mean something (two words, or a word of eight letters) that no
 * German value contains: brand and technical names (Stripe, CSV, AI Billing) read the same in
 * both files and are left out. Placeholders split a value into the literal parts around them.
 */
function englishOnlyStrings(): { text: string; pattern: RegExp }[] {
  const german = [deCommon, deAuth, deBilling, deErrors].flatMap(leaves).map(normalise);
  const found = new Set<string>();
  for (const value of [enCommon, enAuth, enBilling, enErrors].flatMap(leaves)) {
    for (const part of value.split(/\{\{[^}]*\}\}|<\/?\d+>|\$t\([^)]*\)/)) {
      const candidate = normalise(part).replace(/^[\s:·,.;()–-]+|[\s:·,(–-]+$/g, "");
      const meaningful = candidate.split(" ").length >= 2 || /[a-z]{8}/.test(candidate);
      if (!meaningful) continue;
      if (german.some((de) => de.includes(candidate))) continue;
      found.add(candidate);
    }
  }
  // Whole words only: a short English word inside a longer German one is no finding.
  return [...found].map((text) => ({
    text,
    pattern: new RegExp(`(?<!\\p{L})${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?!\\p{L})`, "u"),
  }));
}

function leaves(tree: unknown): string[] {
  if (typeof tree === "string") return [tree];
  if (tree && typeof tree === "object") return Object.values(tree).flatMap(leaves);
  return [];
}

function normalise(text: string): string {
  return text.replace(/\s+/g, " ").trim().toLowerCase();
}

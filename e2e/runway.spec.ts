import { randomUUID } from "node:crypto";
import enBilling from "../locales/en/billing.json" with { type: "json" };
import deBilling from "../locales/de/billing.json" with { type: "json" };
import { expect as baseExpect, test, type Page } from "@playwright/test";
import { businessDayStart, zurichDate } from "../lib/dashboard/business-dates";
import { formatMoney } from "../lib/money/format";
import { compare, toMoney, toMoneyString } from "../lib/money/money";
import { createApiKeyFor, seriousViolations, signIn, signInAndWait, useLanguage, DEMO_USERS } from "./support";

// The runway card (issue 17 item 5) on a mandate with a known history, the expected figures
// computed here by hand. A platform admin makes the mandate, credits 124.50 and books three
// AI calls through the machine API with their call times (at most a week back):
//   5 days ago, noon in Zurich: 14.00;  2 days ago, noon: 7.00;  now: 3.50.
// The pool holds 100.00. The windows are whole Zurich days before today, so today's 3.50 is in
// neither: 7-day burn 21 ÷ 7 = 3.00 a day, 30-day burn 21 ÷ 30 = 0.70 a day. Empty after
// 100 ÷ 3 = 33 1/3 days and 100 ÷ 0.7 = 142.857… days from now. This month's projection: what
// of the three falls in this Zurich month, plus 3.00 a day for the time left in the month.
const expect = baseExpect.configure({ timeout: 15_000 });
const DAY_MS = 86_400_000;
const CREDIT = "124.50";
const CALLS = [
  { daysAgo: 5, amount: "14.00" },
  { daysAgo: 2, amount: "7.00" },
  { daysAgo: 0, amount: "3.50" },
] as const;

/** A calendar date moved by whole days ("2026-03-01", -1 → "2026-02-28"). */
function addDays(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Noon in Zurich of the day `daysAgo` before today; now for today. */
function callTime(daysAgo: number, now: Date): Date {
  if (daysAgo === 0) return now;
  return new Date(new Date(businessDayStart(addDays(zurichDate(now), -daysAgo))).getTime() + 12 * 3_600_000);
}

/** What the card must show at `at`, by hand. */
function expected(at: Date, calls: { date: string; amount: string }[]) {
  const today = zurichDate(at);
  const thisMonth = today.slice(0, 7);
  const [year, month] = thisMonth.split("-").map(Number) as [number, number];
  const lastMonth = new Date(Date.UTC(year, month - 2, 1)).toISOString().slice(0, 7);
  const nextMonthFirst = new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 10);
  const monthEnd = new Date(businessDayStart(nextMonthFirst)).getTime();
  const sum = (prefix: string) =>
    calls.filter((c) => c.date.startsWith(prefix)).reduce((total, c) => total.plus(c.amount), toMoney("0"));
  const soFar = sum(thisMonth);
  // 3.00 a day for the rest of the month, to the centime.
  const projected = soFar
    .plus(
      toMoney("3")
        .times(monthEnd - at.getTime())
        .dividedBy(DAY_MS),
    )
    .toDecimalPlaces(2);
  return {
    // 100 ÷ 3 days = 2'880'000'000 ms; 100 ÷ 0.7 days = 12'342'857'142.857… ms.
    empty7: zurichDate(new Date(at.getTime() + (100 * DAY_MS) / 3)),
    empty30: zurichDate(new Date(at.getTime() + Math.floor((1000 * DAY_MS) / 7))),
    soFar: toMoneyString(soFar),
    lastMonth: toMoneyString(sum(lastMonth)),
    projected: toMoneyString(projected),
  };
}

async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/** "2026-05-28" as de-CH writes it. */
function germanDate(date: string): string {
  const [y, m, d] = date.split("-");
  return `${d}.${m}.${y}`;
}

test("the runway card shows burn, empty dates and the month's projection computed from a known history", async ({
  page,
  request,
  browser,
}) => {
  test.setTimeout(120_000);
  const mandateName = `E2E Runway ${Date.now()}`;
  await signInAndWait(page, DEMO_USERS.platform);
  await page.goto("/admin");
  await useLanguage(page, "en");

  let mandateId = "";
  await test.step("a platform admin makes the mandate and credits it", async () => {
    await page.getByLabel("Name", { exact: true }).fill(mandateName);
    await page.getByRole("button", { name: "Create mandate" }).click();
    const created = page.getByTestId("mandate-created");
    await expect(created).toContainText(mandateName);
    const href = (await created.getByRole("link").getAttribute("href")) ?? "";
    mandateId = /\/admin\/mandates\/([0-9a-f-]{36})$/.exec(href)?.[1] ?? "";
    expect(mandateId).not.toBe("");
    await page.goto(`/admin/mandates/${mandateId}`);
    await page.getByLabel("Type", { exact: true }).selectOption("CREDIT");
    await page.getByLabel("Amount (CHF)").fill(CREDIT);
    await page.getByLabel("Reason", { exact: true }).fill("E2E runway credit");
    await page.getByRole("button", { name: "Book", exact: true }).click();
    await expect(page.getByTestId("booking-result")).toContainText(formatMoney(CREDIT, "en"));
  });

  const booked: { date: string; amount: string }[] = [];
  await test.step("three AI calls through the machine API, with their call times", async () => {
    const key = await createApiKeyFor(page, mandateName);
    const now = new Date();
    for (const call of CALLS) {
      const at = callTime(call.daysAgo, now);
      const response = await request.post("/api/v1/billing/usage", {
        headers: { authorization: `Bearer ${key}` },
        data: {
          mandateId,
          idempotencyKey: randomUUID(),
          amount: call.amount,
          provider: "openai",
          model: "gpt-4o",
          featureCode: "chat",
          occurredAt: at.toISOString(),
        },
      });
      expect(response.status(), await response.text()).toBe(201);
      booked.push({ date: zurichDate(at), amount: call.amount });
    }
  });

  const card = page.getByTestId("runway");
  await test.step("the overview, in English", async () => {
    const before = expected(new Date(), booked);
    await page.goto(`/mandates/${mandateId}`);
    await expect(card.getByRole("heading", { name: "Runway" })).toBeVisible();
    const after = expected(new Date(), booked);

    await expect(page.getByTestId("pool-balance")).toHaveAttribute("data-amount", "100.000000");
    await expect(page.getByTestId("runway-burn-7")).toHaveAttribute("data-amount", "3.000000");
    await expect(page.getByTestId("runway-burn-7")).toHaveText(formatMoney("3", "en"));
    await expect(page.getByTestId("runway-burn-30")).toHaveAttribute("data-amount", "0.700000");
    await expect(page.getByTestId("runway-burn-30")).toHaveText(formatMoney("0.70", "en"));
    // The page was rendered between `before` and `after`: its dates are one of theirs.
    for (const [id, field] of [
      ["runway-empty-7", "empty7"],
      ["runway-empty-30", "empty30"],
    ] as const) {
      const date = await page.getByTestId(id).getAttribute("data-date");
      expect([before[field], after[field]], id).toContain(date);
    }
    // Auto-recharge is off on this mandate: no date with it, and the card says so.
    await expect(page.getByTestId("runway-recharge-7")).toHaveCount(0);
    await expect(page.getByTestId("runway-auto-recharge")).toHaveAttribute("data-state", "off");
    await expect(page.getByTestId("runway-auto-recharge")).toHaveText(enBilling.runway.autoRecharge.off);

    // The projection falls as time passes: between the one after and the one before.
    const projected = (await page.getByTestId("runway-month-projected").getAttribute("data-amount")) ?? "";
    expect(compare(projected, after.projected)).toBeGreaterThanOrEqual(0);
    expect(compare(projected, before.projected)).toBeLessThanOrEqual(0);
    await expect(page.getByTestId("runway-month-so-far")).toHaveText(`So far: ${formatMoney(before.soFar, "en")}`);
    await expect(page.getByTestId("runway-last-month")).toContainText(formatMoney(before.lastMonth, "en"));
    expect(await seriousViolations(page)).toEqual([]);
  });

  await test.step("the method opens on keyboard focus and on hover", async () => {
    const method = page.getByTestId("runway-method");
    const button = page.getByTestId("runway-method-button");
    await expect(method).toBeHidden();
    await expect(button).toHaveAccessibleDescription(new RegExp(`^${enBilling.runway.method.burn.slice(0, 30)}`));
    await button.focus();
    await expect(method).toBeVisible();
    await expect(method).toContainText(enBilling.runway.method.recharge);
    await button.blur();
    await expect(method).toBeHidden();
    await button.hover();
    await expect(method).toBeVisible();
    await page.screenshot({ path: "test-results/screenshots/runway-method.png", fullPage: true });
    await page.mouse.move(0, 0);
    await expect(method).toBeHidden();
  });

  await test.step("in German, on a phone", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await useLanguage(page, "de");
    try {
      await expect(card.getByRole("heading", { name: "Reichweite" })).toBeVisible();
      await expect(page.getByTestId("runway-burn-7")).toHaveText(formatMoney("3", "de"));
      await expect(card.getByTestId("runway-window-7")).toContainText("pro Tag");
      const date = (await page.getByTestId("runway-empty-7").getAttribute("data-date")) ?? "";
      await expect(page.getByTestId("runway-empty-7")).toHaveText(germanDate(date));
      await expect(page.getByTestId("runway-auto-recharge")).toHaveText(deBilling.runway.autoRecharge.off);
      await card.scrollIntoViewIfNeeded();
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: "test-results/screenshots/runway-phone-de.png", fullPage: true });
    } finally {
      await useLanguage(page, "en");
    }
  });

  await test.step("a MEMBER gets no runway", async () => {
    const context = await browser.newContext();
    const member = await context.newPage();
    try {
      await signIn(member, DEMO_USERS.member);
      await expect(member.getByTestId("own-scope")).toBeVisible();
      await expect(member.getByTestId("month-usage")).toBeVisible();
      await expect(member.getByTestId("runway")).toHaveCount(0);
    } finally {
      await context.close();
    }
  });
});

import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { LOCALES, type Locale } from "@/lib/i18n/config";
import { formatMoney } from "@/lib/money/format";
import { describeEmptyForecast, formatRunwayDay } from "@/lib/runway/describe-forecast";
import { forecastRunway } from "@/lib/runway/forecast-runway";
import { autoRechargeFailedEmail, type RechargeFailureReason } from "./auto-recharge-failed";
import { autoRechargeSucceededEmail } from "./auto-recharge-succeeded";
import { disputeFundsReinstatedEmail, disputeFundsWithdrawnEmail } from "./dispute-funds";
import { lowBalanceWarningEmail } from "./low-balance-warning";
import { passwordResetEmail } from "./password-reset";
import { poolExhaustedEmail } from "./pool-exhausted";
import { refundBookedEmail } from "./refund-booked";
import {
  subscriptionExpiredEmail,
  subscriptionPaymentFailedEmail,
  subscriptionRenewedEmail,
  subscriptionStartedEmail,
} from "./subscription";
import { EMAIL_KINDS, escapeHtml, translateEmail, type RenderedEmail } from "./render-email";
import { topUpReceiptEmail } from "./top-up-receipt";

const HOSTILE = `<script>alert("x")</script> & 'Co'`;
const mandateId = randomUUID();
const savedOrigin = process.env.NEXTAUTH_URL;
afterEach(() => {
  if (savedOrigin === undefined) delete process.env.NEXTAUTH_URL;
  else process.env.NEXTAUTH_URL = savedOrigin;
});

const card = { brand: "visa", last4: "4242" };

/**
 * A runway by hand (lib/runway/forecast-runway.test.ts): 15 March 2026, balance 12, 7 CHF spent
 * in the week before (1 a day, 0.233333 over 30 days), threshold 10, 5 CHF per recharge with 1
 * of 3 left: empty on 27 March, with auto-recharge on 16 April (at the 7-day rate); at the 30-day
 * rate 12 ÷ 7/30 = 51.43 days, 6 May 00:17 in Zurich. March so far 7 (spent on the 10th) plus
 * 16 days 10 hours at 1 a day.
 */
const RUNWAY_INPUT: Parameters<typeof forecastRunway>[0] = {
  now: new Date("2026-03-15T12:00:00Z"),
  currency: "CHF",
  balance: "12",
  warningThreshold: "10",
  budget: "100",
  warningThresholdPercent: "10",
  dailySpend: [{ date: "2026-03-10", amount: "7" }],
  recharge: { enabled: true, hasCard: true, switchedOff: false, amount: "5", maxPerMonth: 3, usedThisMonth: 2 },
};
const RUNWAY = forecastRunway(RUNWAY_INPUT);
const REASONS: RechargeFailureReason[] = ["declined", "authentication_required", "other"];

/** Messages to one person about their account, not to a mandate's billing contacts: tested apart. */
const ACCOUNT_KINDS = new Set<string>(["password-reset"]);

/** Every mandate message, every variant, for one language. */
function renderAll(locale: Locale): RenderedEmail[] {
  const base = { locale, mandateId, mandateName: HOSTILE };
  return [
    lowBalanceWarningEmail({ ...base, balance: "1234.5", threshold: "2000", forecast: RUNWAY }),
    poolExhaustedEmail({ ...base, balance: "-0.25" }),
    autoRechargeSucceededEmail({ ...base, amount: "1234.5", balance: "1300", card }),
    ...REASONS.map((reason) => autoRechargeFailedEmail({ ...base, amount: "1234.5", card, reason })),
    autoRechargeFailedEmail({ ...base, amount: "1234.5", card: null, reason: "declined", switchedOffAfter: 3 }),
    topUpReceiptEmail({ ...base, amount: "1234.5", card, receiptUrl: `https://pay.stripe.com/receipts/r?a=1&b="2"` }),
    topUpReceiptEmail({ ...base, amount: "1234.5", card: null, receiptUrl: null }),
    refundBookedEmail({ ...base, amount: "1234.5" }),
    disputeFundsWithdrawnEmail({ ...base, amount: "1234.5" }),
    disputeFundsReinstatedEmail({ ...base, amount: "1234.5" }),
    ...[
      subscriptionStartedEmail,
      subscriptionRenewedEmail,
      subscriptionPaymentFailedEmail,
      subscriptionExpiredEmail,
    ].map((email) => email({ ...base, planName: "Team", budget: "1234.5", price: "99", periodEnd: "31.01.2027" })),
  ];
}

describe.each(LOCALES)("every message in %s", (locale) => {
  it("renders every kind with no missing key or placeholder, the amount in Swiss format", () => {
    process.env.NEXTAUTH_URL = "https://billing.example.ch/some/path";
    const messages = renderAll(locale);
    expect(new Set(messages.map((m) => m.kind))).toEqual(new Set(EMAIL_KINDS.filter((k) => !ACCOUNT_KINDS.has(k))));
    for (const m of messages) {
      expect(m.locale).toBe(locale);
      for (const part of [m.subject, m.text, m.html]) {
        expect(part, m.kind).not.toMatch(/\{\{|\}\}|email\.|undefined|NaN/);
      }
      expect(m.subject).not.toMatch(/\n/);
      // The one number format per language: de-CH groups with an apostrophe, English with a comma.
      expect(m.text, m.kind).toContain(formatMoney(m.kind === "pool-exhausted" ? "-0.25" : "1234.5", locale));
      expect(formatMoney("1234.5", locale)).toBe(locale === "de" ? "CHF\u00a01'234.50" : "CHF\u00a01,234.50");
      expect(m.text, m.kind).toContain(`https://billing.example.ch/mandates/${mandateId}/`);
      expect(m.html, m.kind).toContain(`href="https://billing.example.ch/mandates/${mandateId}/`);
      expect(m.html).toContain(`<html lang="${locale}">`);
    }
  });

  it("escapes every interpolated value in HTML and leaves the plain text as written", () => {
    for (const m of renderAll(locale)) {
      expect(m.subject, m.kind).toContain(HOSTILE);
      expect(m.text, m.kind).toContain(HOSTILE);
      expect(m.html, m.kind).not.toContain("<script>");
      expect(m.html, m.kind).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Co&#39;");
    }
    const receipt = renderAll(locale).find((m) => m.kind === "top-up-receipt")!;
    expect(receipt.html).toContain(`href="https://pay.stripe.com/receipts/r?a=1&amp;b=&quot;2&quot;"`);
  });

  it("tells what to do after a failed recharge, and says when auto-recharge switched itself off", () => {
    const [declined, authentication, , switchedOff] = renderAll(locale).filter(
      (m) => m.kind === "auto-recharge-failed",
    );
    expect(declined!.text).toContain(translateEmail(locale, "rechargeFailed.reason.declined"));
    expect(declined!.text).toContain("Visa •••• 4242");
    expect(authentication!.text).toContain(translateEmail(locale, "rechargeFailed.reason.authentication_required"));
    expect(authentication!.text).toContain(`/mandates/${mandateId}/top-up`);
    expect(switchedOff!.subject).toBe(
      translateEmail(locale, "rechargeFailed.subjectSwitchedOff", { mandate: HOSTILE }),
    );
    expect(switchedOff!.text).toContain(translateEmail(locale, "rechargeFailed.switchedOff", { count: 3 }));
    expect(switchedOff!.text).toContain(`/mandates/${mandateId}/settings`);
    expect(declined!.text).not.toContain(translateEmail(locale, "rechargeFailed.switchedOff", { count: 3 }));
  });
});

describe.each(LOCALES)("the low-balance warning in %s", (locale) => {
  const warn = { locale, mandateId, mandateName: "M", balance: "9.5", threshold: "10" };

  it("carries the overview's runway forecast, in text and HTML", () => {
    const m = lowBalanceWarningEmail({ ...warn, forecast: RUNWAY });
    const day = (date: string) => formatRunwayDay(date, locale);
    const lines = [
      translateEmail(locale, "lowBalance.forecastTitle", {
        burn7: formatMoney("1", locale),
        burn30: formatMoney("0.233333", locale),
      }),
      translateEmail(locale, "lowBalance.forecastEmpty", { empty7: day("2026-03-27"), empty30: day("2026-05-06") }),
      translateEmail(locale, "lowBalance.forecastRecharge", {
        amount: formatMoney("5", locale),
        left: 1,
        recharge7: day("2026-04-16"),
        // At 7 CHF a month the recharges outlast the 24 months the projection looks ahead.
        recharge30: describeEmptyForecast({ kind: "beyond", date: "2028-03-01", recharges: 32 }, locale),
      }),
      translateEmail(locale, "lowBalance.forecastMonth", {
        month: locale === "de" ? "März 2026" : "March 2026",
        projected: formatMoney("23.42", locale),
        lastMonth: formatMoney("0", locale),
      }),
      translateEmail(locale, "lowBalance.forecastMethod"),
    ];
    for (const line of lines) {
      expect(m.text).toContain(line);
      expect(m.html).toContain(`<p>${escapeHtml(line)}</p>`);
    }
    expect(m.text).toContain(locale === "de" ? "27.03.2026" : "27 Mar 2026");
    expect(m.text).toContain(locale === "de" ? "Nicht vor dem 01.03.2028" : "Not before 1 Mar 2028");
    expect(m.text).not.toMatch(/\{\{|\}\}|email\.|runway\.|undefined|NaN/);
  });

  it("tells of a recharge on its way, which the dates count", () => {
    const pending = { ...RUNWAY_INPUT, recharge: { ...RUNWAY_INPUT.recharge!, pendingAmount: "5" } };
    const m = lowBalanceWarningEmail({ ...warn, forecast: forecastRunway(pending) });
    expect(m.text).toContain(
      translateEmail(locale, "lowBalance.forecastPending", { pending: formatMoney("5", locale) }),
    );
    expect(lowBalanceWarningEmail({ ...warn, forecast: RUNWAY }).text).not.toContain(
      translateEmail(locale, "lowBalance.forecastPending", { pending: formatMoney("5", locale) }),
    );
  });

  it("says when auto-recharge is off, and when there is no usage to forecast from", () => {
    const off = { ...RUNWAY_INPUT, recharge: { ...RUNWAY_INPUT.recharge!, enabled: false } };
    const m = lowBalanceWarningEmail({ ...warn, forecast: forecastRunway(off) });
    expect(m.text).toContain(translateEmail(locale, "lowBalance.forecastNoRecharge"));
    expect(m.text).toContain(formatRunwayDay("2026-03-27", locale));
    expect(m.text).not.toContain(formatRunwayDay("2026-04-16", locale));
    const none = lowBalanceWarningEmail({ ...warn, forecast: forecastRunway({ ...off, dailySpend: [] }) });
    expect(none.text).toContain(translateEmail(locale, "lowBalance.forecastNoUsage"));
    expect(none.text).not.toContain(translateEmail(locale, "lowBalance.forecastMethod"));
  });
});

describe.each(LOCALES)("the password-reset message in %s", (locale) => {
  const token = "AbC-_".repeat(8) + "xyz";
  const render = (email: string) =>
    passwordResetEmail({ locale, email, origin: "https://billing.example.ch/", token, validMinutes: 30 });

  it("carries the link, the account and the validity, with no missing key or placeholder", () => {
    const m = render("anna@example.ch");
    expect(m.kind).toBe("password-reset");
    expect(m.locale).toBe(locale);
    for (const part of [m.subject, m.text, m.html]) expect(part).not.toMatch(/\{\{|\}\}|email\.|undefined|NaN/);
    expect(m.text).toContain(`https://billing.example.ch/reset-password?token=${token}`);
    expect(m.html).toContain(`href="https://billing.example.ch/reset-password?token=${token}"`);
    expect(m.text).toContain("anna@example.ch");
    expect(m.text).toMatch(/\b30 (minutes|Minuten)\b/);
    expect(m.html).toContain(`<html lang="${locale}">`);
  });

  it("escapes the address in HTML", () => {
    const m = render(`"<b>"@example.ch`);
    expect(m.html).not.toContain("<b>");
    expect(m.html).toContain("&quot;&lt;b&gt;&quot;@example.ch");
  });
});

describe("the message languages", () => {
  it("differ: a German mandate reads German", () => {
    const warn = { mandateId, mandateName: "M", balance: "5", threshold: "10", forecast: null };
    const de = lowBalanceWarningEmail({ ...warn, locale: "de" });
    const en = lowBalanceWarningEmail({ ...warn, locale: "en" });
    expect(de.subject).toBe(`M: Guthaben unter ${formatMoney("10", "de")}`);
    expect(en.subject).toBe(`M: balance below ${formatMoney("10", "en")}`);
  });

  it("refuse a key missing in the message's language instead of falling back", () => {
    expect(() => translateEmail("de", "lowBalance.nope")).toThrow(/missing translation billing:email.lowBalance.nope/);
  });
});

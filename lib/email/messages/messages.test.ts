import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { LOCALES, type Locale } from "@/lib/i18n/config";
import { formatMoney } from "@/lib/money/format";
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
import { EMAIL_KINDS, translateEmail, type RenderedEmail } from "./render-email";
import { topUpReceiptEmail } from "./top-up-receipt";

const HOSTILE = `<script>alert("x")</script> & 'Co'`;
const mandateId = randomUUID();
const savedOrigin = process.env.NEXTAUTH_URL;
afterEach(() => {
  if (savedOrigin === undefined) delete process.env.NEXTAUTH_URL;
  else process.env.NEXTAUTH_URL = savedOrigin;
});

const card = { brand: "visa", last4: "4242" };
const REASONS: RechargeFailureReason[] = ["declined", "authentication_required", "other"];

/** Messages to one person about their account, not to a mandate's billing contacts: tested apart. */
const ACCOUNT_KINDS = new Set<string>(["password-reset"]);

/** Every mandate message, every variant, for one language. */
function renderAll(locale: Locale): RenderedEmail[] {
  const base = { locale, mandateId, mandateName: HOSTILE };
  return [
    lowBalanceWarningEmail({ ...base, balance: "1234.5", threshold: "2000" }),
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
    const de = lowBalanceWarningEmail({ locale: "de", mandateId, mandateName: "M", balance: "5", threshold: "10" });
    const en = lowBalanceWarningEmail({ locale: "en", mandateId, mandateName: "M", balance: "5", threshold: "10" });
    expect(de.subject).toBe(`M: Guthaben unter ${formatMoney("10", "de")}`);
    expect(en.subject).toBe(`M: balance below ${formatMoney("10", "en")}`);
  });

  it("refuse a key missing in the message's language instead of falling back", () => {
    expect(() => translateEmail("de", "lowBalance.nope")).toThrow(/missing translation billing:email.lowBalance.nope/);
  });
});

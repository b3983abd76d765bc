import type { Locale } from "@/lib/i18n/config";
import { describeEmptyForecast, formatRunwayMonth } from "@/lib/runway/describe-forecast";
import type { Runway } from "@/lib/runway/forecast-runway";
import { formatAmount, renderEmail, type EmailValues, type RenderedEmail } from "./render-email";

export interface LowBalanceWarningData {
  locale: Locale;
  mandateId: string;
  mandateName: string;
  /** Decimal strings (CHF). */
  balance: string;
  threshold: string;
  /** The overview's runway at the time of sending (lib/runway); null: no pool to forecast. */
  forecast: Runway | null;
}

/** The forecast's paragraphs (keys under email.lowBalance) and their values, as the overview shows it. */
function forecastParts(forecast: Runway | null, locale: Locale): { paragraphs: string[]; values: EmailValues } {
  if (!forecast) return { paragraphs: [], values: {} };
  if (!forecast.hasUsage) return { paragraphs: ["lowBalance.forecastNoUsage"], values: {} };
  const [week, month] = forecast.burn;
  if (!week || !month) throw new Error("a runway has a 7-day and a 30-day burn");
  const money = (amount: string) => formatAmount(amount, locale);
  const recharging = week.withAutoRecharge && month.withAutoRecharge;
  const values: EmailValues = {
    burn7: money(week.burnPerDay),
    burn30: money(month.burnPerDay),
    empty7: describeEmptyForecast(week.empty, locale),
    empty30: describeEmptyForecast(month.empty, locale),
    month: formatRunwayMonth(forecast.month.year, forecast.month.month, locale),
    projected: money(forecast.month.projectedTotal),
    lastMonth: money(forecast.month.lastMonth.total),
  };
  if (week.withAutoRecharge && month.withAutoRecharge) {
    values.recharge7 = describeEmptyForecast(week.withAutoRecharge, locale);
    values.recharge30 = describeEmptyForecast(month.withAutoRecharge, locale);
    values.amount = money(forecast.autoRecharge.amount ?? "0");
    values.left = forecast.autoRecharge.leftThisMonth;
    if (forecast.autoRecharge.pending) values.pending = money(forecast.autoRecharge.pending);
  }
  return {
    paragraphs: [
      "lowBalance.forecastTitle",
      "lowBalance.forecastEmpty",
      ...(recharging
        ? ["lowBalance.forecastRecharge", ...(values.pending ? ["lowBalance.forecastPending"] : [])]
        : ["lowBalance.forecastNoRecharge"]),
      "lowBalance.forecastMonth",
      "lowBalance.forecastMethod",
    ],
    values,
  };
}

/** The pool fell below the warning threshold (sent once per crossing), with the runway forecast. */
export function lowBalanceWarningEmail(data: LowBalanceWarningData): RenderedEmail {
  const forecast = forecastParts(data.forecast, data.locale);
  return renderEmail({
    kind: "low-balance-warning",
    locale: data.locale,
    subject: "lowBalance.subject",
    paragraphs: ["lowBalance.body", "lowBalance.action", ...forecast.paragraphs],
    links: [{ label: "common.topUpLink", href: `/mandates/${data.mandateId}/top-up` }],
    values: {
      ...forecast.values,
      mandate: data.mandateName,
      balance: formatAmount(data.balance, data.locale),
      threshold: formatAmount(data.threshold, data.locale),
    },
  });
}

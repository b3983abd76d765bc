import { currentBusinessMonth, zurichDate } from "@/lib/dashboard/business-dates";
import { add, compare, Money, roundForPosting, toMoney, toMoneyString } from "@/lib/money/money";
import { DAY_MS, projectEmptyDate, type EmptyForecast } from "./project-empty-date";
import { addDays, firstOfMonth, monthOfDate, monthStartInstant, shiftMonth, type YearMonth } from "./runway-calendar";

/**
 * The runway of a mandate's pool (README "Runway"): how fast it is spent, when it runs empty at
 * that pace, with and without auto-recharge, and where this month is heading. Pure: the loader
 * (get-runway.ts) reads the figures, this computes, exactly (lib/money, never floats).
 */

/** Burn windows in whole Zurich days: the last 7 and the last 30 days before today. */
export const BURN_WINDOWS = [7, 30] as const;
export type BurnWindow = (typeof BURN_WINDOWS)[number];

/** The pool's debits (usage and storage overage) of one Zurich calendar day. */
export interface DailySpend {
  date: string;
  amount: string;
}

/** The auto-recharge settings as far as the forecast needs them; null: no settings row. */
export interface RechargeTerms {
  enabled: boolean;
  hasCard: boolean;
  /** Failures switched it off (an admin may switch it on again). */
  switchedOff: boolean;
  /** CHF per recharge. */
  amount: string;
  maxPerMonth: number;
  /** Recharges counted in the current Zurich month, a pending one included. */
  usedThisMonth: number;
  /** CHF of a recharge on its way into the balance (RechargeRule.pending); absent: none. */
  pendingAmount?: string;
}

export interface RunwayInputs {
  now: Date;
  currency: string;
  balance: string;
  /** The warning threshold in force now, the month's budget, and the percentage relating them. */
  warningThreshold: string;
  budget: string;
  warningThresholdPercent: string;
  /** Days without debits may be left out; days outside the windows are ignored. */
  dailySpend: DailySpend[];
  recharge: RechargeTerms | null;
  /** False when the statistics behind dailySpend lag the ledger (get-statistics.ts). */
  complete?: boolean;
}

export interface BurnForecast {
  days: BurnWindow;
  /** Pool debits of the window's days. */
  spent: string;
  /** spent ÷ days, rounded to the micro-franc for display (the projections use it unrounded). */
  burnPerDay: string;
  /** At this rate, without any recharge. */
  empty: EmptyForecast;
  /** At this rate, with auto-recharge as set; null when auto-recharge is not on. */
  withAutoRecharge: EmptyForecast | null;
}

export type AutoRechargeState = "on" | "off" | "switched-off" | "no-card" | "not-set";

export interface MonthProjection extends YearMonth {
  /** Debits of this month so far, today included. */
  spentSoFar: string;
  /**
   * spentSoFar + the 7-day burn per day × the time left in the month (in days, to the
   * millisecond), rounded half-even to the centime: a projection, not a booking.
   */
  projectedTotal: string;
  lastMonth: YearMonth & { total: string };
}

export interface Runway {
  currency: string;
  balance: string;
  /** Today in Zurich; the windows end the day before. */
  today: string;
  /** Any debit in the days read (the last 30, this month and last month). */
  hasUsage: boolean;
  burn: BurnForecast[];
  month: MonthProjection;
  autoRecharge: {
    state: AutoRechargeState;
    amount: string | null;
    /** Recharges still allowed this month (0 unless on). */
    leftThisMonth: number;
    maxPerMonth: number;
    /** A recharge on its way into the balance, counted by the dates; null: none (or not on). */
    pending: string | null;
  };
  complete: boolean;
}

function sumDays(days: DailySpend[], from: string, to: string): Money {
  return days
    .filter((day) => day.date >= from && day.date <= to)
    .reduce((total, day) => add(total, day.amount), new Money(0));
}

function rechargeState(terms: RechargeTerms | null): AutoRechargeState {
  if (!terms) return "not-set";
  if (!terms.enabled) return terms.switchedOff ? "switched-off" : "off";
  return terms.hasCard ? "on" : "no-card";
}

export function forecastRunway(input: RunwayInputs): Runway {
  const today = zurichDate(input.now);
  const thisMonth = currentBusinessMonth(input.now);
  const lastMonth = shiftMonth(thisMonth, -1);
  const state = rechargeState(input.recharge);
  const leftThisMonth =
    state === "on" && input.recharge ? Math.max(0, input.recharge.maxPerMonth - input.recharge.usedThisMonth) : 0;

  const burn = BURN_WINDOWS.map((days): BurnForecast => {
    const spent = sumDays(input.dailySpend, addDays(today, -days), addDays(today, -1));
    const base = { now: input.now, balance: input.balance, spent: toMoneyString(spent), days };
    return {
      days,
      spent: toMoneyString(spent),
      burnPerDay: toMoneyString(roundForPosting(spent.dividedBy(days))),
      empty: projectEmptyDate(base),
      withAutoRecharge:
        state === "on" && input.recharge
          ? projectEmptyDate({
              ...base,
              recharge: {
                amount: input.recharge.amount,
                percent: input.warningThresholdPercent,
                budget: input.budget,
                threshold: input.warningThreshold,
                leftThisMonth,
                maxPerMonth: input.recharge.maxPerMonth,
                pending: input.recharge.pendingAmount,
              },
            })
          : null,
    };
  });

  const spentSoFar = sumDays(input.dailySpend, firstOfMonth(thisMonth), today);
  const msLeft = monthStartInstant(shiftMonth(thisMonth, 1)).getTime() - input.now.getTime();
  const sevenDays = burn[0];
  const weekly = toMoney(sevenDays ? sevenDays.spent : "0");
  const projectedTotal = spentSoFar.plus(weekly.times(msLeft).dividedBy(new Money(7).times(DAY_MS)));
  const lastMonthTotal = sumDays(input.dailySpend, firstOfMonth(lastMonth), addDays(firstOfMonth(thisMonth), -1));

  const oldest = [addDays(today, -30), firstOfMonth(lastMonth)].sort()[0] ?? today;
  return {
    currency: input.currency,
    balance: toMoneyString(input.balance),
    today,
    hasUsage: input.dailySpend.some((day) => day.date >= oldest && day.date <= today && compare(day.amount, "0") > 0),
    burn,
    month: {
      ...thisMonth,
      spentSoFar: toMoneyString(spentSoFar),
      projectedTotal: toMoneyString(projectedTotal.toDecimalPlaces(2)),
      lastMonth: { ...lastMonth, total: toMoneyString(lastMonthTotal) },
    },
    autoRecharge: {
      state,
      amount: input.recharge ? toMoneyString(input.recharge.amount) : null,
      leftThisMonth,
      maxPerMonth: input.recharge?.maxPerMonth ?? 0,
      pending:
        state === "on" && input.recharge?.pendingAmount && compare(input.recharge.pendingAmount, "0") > 0
          ? toMoneyString(input.recharge.pendingAmount)
          : null,
    },
    complete: input.complete ?? true,
  };
}

/** The first day to read debits from for a runway at `now`: 30 days back or last month's first. */
export function runwayReadFrom(now: Date): string {
  const today = zurichDate(now);
  const lastMonthFirst = firstOfMonth(shiftMonth(monthOfDate(today), -1));
  const windowStart = addDays(today, -30);
  return windowStart < lastMonthFirst ? windowStart : lastMonthFirst;
}

import { Decimal } from "decimal.js";
import { zurichDate, currentBusinessMonth } from "@/lib/dashboard/business-dates";
import { Money, toMoney } from "@/lib/money/money";
import { monthStartInstant, shiftMonth } from "./runway-calendar";

/** How far ahead a projection looks; a pool that lasts longer is "not within" this many months. */
export const HORIZON_MONTHS = 24;
export const DAY_MS = 86_400_000;

/** When the pool runs empty at a burn rate. Dates are Zurich calendar days ("YYYY-MM-DD"). */
export type EmptyForecast =
  /** The balance is at or below zero now. */
  | { kind: "already-empty" }
  /** Nothing was spent in the window: no date. */
  | { kind: "no-burn" }
  /** `recharges`: automatic recharges the projection counted before that day. */
  | { kind: "date"; date: string; recharges: number }
  /** Not empty before `date`, the first day after the horizon. */
  | { kind: "beyond"; date: string; recharges: number };

/** The auto-recharge rules as the database applies them (README "Auto-recharge"). */
export interface RechargeRule {
  /** CHF per recharge. */
  amount: string;
  /** Warning threshold = this percentage of the month's budget. */
  percent: string;
  /** The current month's budget and the threshold in force now. */
  budget: string;
  threshold: string;
  /** Recharges still allowed in the current month. */
  leftThisMonth: number;
  maxPerMonth: number;
  /**
   * A recharge decided but not yet in the balance (its crossing's job not run yet, or the charge
   * under way at Stripe): added at once. Already counted in leftThisMonth.
   */
  pending?: string;
}

export interface ProjectEmptyDateOptions {
  now: Date;
  balance: string;
  /** Pool debits in the window and its length in days: the burn is spent ÷ days per day. */
  spent: string;
  days: number;
  /** Simulate automatic recharges; without it the balance only falls. */
  recharge?: RechargeRule;
}

/** billing_threshold_of(): round(budget × percent / 100, 6); PostgreSQL rounds halves away from zero. */
export function thresholdOf(budget: Money | string, percent: Money | string): Money {
  return toMoney(budget).times(toMoney(percent)).dividedBy(100).toDecimalPlaces(6, Decimal.ROUND_HALF_UP);
}

function instant(ms: Money): Date {
  return new Date(Number(ms.floor().toFixed(0)));
}

/**
 * The day the pool runs empty if it keeps burning at spent ÷ days per day from `now`. With a
 * recharge rule the balance is simulated month by month, exactly as the database books it: a
 * crossing (the balance falling below the threshold from at or above it) adds `amount`, which
 * also raises the month's budget and with it the threshold; the crossing re-arms only if the
 * recharged balance is at or above the new threshold. At most `leftThisMonth` recharges in the
 * current Zurich month, `maxPerMonth` in each later one; each month opens with a budget of the
 * balance at its start (at least 0). The rate is kept unrounded (40 significant digits); instants
 * are cut to the millisecond, and the day is the Zurich day of the instant the balance reaches 0.
 */
export function projectEmptyDate(opts: ProjectEmptyDateOptions): EmptyForecast {
  let balance = toMoney(opts.balance);
  if (balance.lte(0)) return { kind: "already-empty" };
  const spent = toMoney(opts.spent);
  if (spent.lte(0)) return { kind: "no-burn" };
  const perMs = spent.dividedBy(new Money(opts.days).times(DAY_MS));

  const rule = opts.recharge;
  const amount = toMoney(rule?.amount ?? "0");
  const percent = toMoney(rule?.percent ?? "0");
  let budget = toMoney(rule?.budget ?? "0");
  let threshold = toMoney(rule?.threshold ?? "0");
  let left = rule ? rule.leftThisMonth : 0;
  let recharges = 0;
  if (rule?.pending && toMoney(rule.pending).gt(0)) {
    balance = balance.plus(rule.pending);
    budget = budget.plus(rule.pending);
    threshold = thresholdOf(budget, percent);
    recharges += 1;
  }
  let armed = balance.gte(threshold);

  let t = new Money(opts.now.getTime());
  let month = currentBusinessMonth(opts.now);
  for (let i = 0; i < HORIZON_MONTHS; i++) {
    month = shiftMonth(month, 1);
    const monthEnd = new Money(monthStartInstant(month).getTime());
    // A threshold of 0 is never crossed before the pool is empty.
    while (rule && armed && left > 0 && threshold.gt(0)) {
      const crossAt = t.plus(balance.minus(threshold).dividedBy(perMs));
      if (crossAt.gte(monthEnd)) break;
      t = crossAt;
      balance = threshold.plus(amount);
      budget = budget.plus(amount);
      threshold = thresholdOf(budget, percent);
      armed = balance.gte(threshold);
      left -= 1;
      recharges += 1;
    }
    const emptyAt = t.plus(balance.dividedBy(perMs));
    if (emptyAt.lt(monthEnd)) return { kind: "date", date: zurichDate(instant(emptyAt)), recharges };
    balance = balance.minus(perMs.times(monthEnd.minus(t)));
    t = monthEnd;
    if (rule) {
      // The month rolls: its budget is the balance it opens with (billing_budget_roll()).
      budget = Money.max(balance, 0);
      threshold = thresholdOf(budget, percent);
      armed = balance.gte(threshold);
      left = rule.maxPerMonth;
    }
  }
  return { kind: "beyond", date: zurichDate(instant(t)), recharges };
}

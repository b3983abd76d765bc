import { Prisma } from "@/lib/db/generated/client";

/**
 * Exact CHF arithmetic. Amounts are decimal numbers with at most six fractional
 * digits (micro-francs), stored as numeric(30,6). JavaScript numbers never touch
 * an amount: they are parsed from decimal strings and leave as decimal strings.
 *
 * decimal.js defaults to 20 significant digits, which would silently round a
 * numeric(30,6); our clone keeps 40 and rounds half-even, the one rounding rule.
 */
export const Money = Prisma.Decimal.clone({ precision: 40, rounding: Prisma.Decimal.ROUND_HALF_EVEN });
export type Money = InstanceType<typeof Money>;

export const MONEY_SCALE = 6;
export const CURRENCY = "CHF";
/** Largest amount one booking may carry; anything above is a bug or an attack, not a top-up. */
export const MAX_BOOKING_AMOUNT = "1000000000";

/** An unsigned decimal string with up to six fractional digits: "12.5", "0.000012". */
export const UNSIGNED_DECIMAL = /^(0|[1-9]\d{0,17})(\.\d{1,6})?$/;
/** The same, optionally negative (adjustments). */
export const SIGNED_DECIMAL = /^-?(0|[1-9]\d{0,17})(\.\d{1,6})?$/;

export class MoneyFormatError extends Error {}

type MoneyInput = string | Money | Prisma.Decimal;

/** Parses a decimal string exactly; rejects exponents, NaN, more than six decimals and values over MAX_BOOKING_AMOUNT. */
export function parseMoney(value: string, opts: { signed?: boolean } = {}): Money {
  const pattern = opts.signed ? SIGNED_DECIMAL : UNSIGNED_DECIMAL;
  if (!pattern.test(value)) {
    throw new MoneyFormatError(`"${value}" is not a decimal amount with at most ${MONEY_SCALE} decimals`);
  }
  const amount = new Money(value);
  if (amount.abs().greaterThan(MAX_BOOKING_AMOUNT)) {
    throw new MoneyFormatError(`${value} exceeds the maximum of ${MAX_BOOKING_AMOUNT}`);
  }
  return amount;
}

export function toMoney(value: MoneyInput): Money {
  // decimal.js clones share a prototype, so `instanceof Money` is also true for a Prisma.Decimal
  // (20 digits, half-up): only our own constructor's instances pass through unconverted.
  return value instanceof Money && value.constructor === Money ? value : new Money(value.toString());
}

export function add(a: MoneyInput, b: MoneyInput): Money {
  return toMoney(a).plus(toMoney(b));
}

export function sub(a: MoneyInput, b: MoneyInput): Money {
  return toMoney(a).minus(toMoney(b));
}

/** Multiplies by a rate given as a decimal string (e.g. markup "1.5"), rounded for posting. */
export function mulRate(amount: MoneyInput, rate: string | Money): Money {
  return roundForPosting(toMoney(amount).times(toMoney(rate)));
}

/** The one rounding rule: half-even to six decimals, applied when an amount is computed rather than given. */
export function roundForPosting(amount: MoneyInput): Money {
  return toMoney(amount).toDecimalPlaces(MONEY_SCALE, Prisma.Decimal.ROUND_HALF_EVEN);
}

/** Canonical wire form: always six decimals, e.g. "12.500000". */
export function toMoneyString(amount: MoneyInput): string {
  return toMoney(amount).toFixed(MONEY_SCALE);
}

export function isNegative(amount: MoneyInput): boolean {
  return toMoney(amount).isNegative() && !toMoney(amount).isZero();
}

export function compare(a: MoneyInput, b: MoneyInput): -1 | 0 | 1 {
  return toMoney(a).comparedTo(toMoney(b)) as -1 | 0 | 1;
}

export function max(a: MoneyInput, b: MoneyInput): Money {
  return compare(a, b) >= 0 ? toMoney(a) : toMoney(b);
}

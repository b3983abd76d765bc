// Plain decimal.js, the library Prisma.Decimal is built on: values read from Decimal columns are
// Money inputs as they are (decimal.js recognises another copy's instances by their tag). Nothing
// from Prisma is imported: this module runs in the browser too, where the forms check amounts
// with the same rules as the server.
import { Decimal } from "decimal.js";
import { DomainError } from "@/lib/errors";

/**
 * Exact CHF arithmetic. Amounts are decimal numbers with at most six fractional
 * digits (micro-francs), stored as numeric(30,6). JavaScript numbers never touch
 * an amount: they are parsed from decimal strings and leave as decimal strings.
 *
 * decimal.js defaults to 20 significant digits, which would silently round a
 * numeric(30,6); our clone keeps 40 and rounds half-even, the one rounding rule.
 */
export const Money = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });
export type Money = InstanceType<typeof Money>;

const MONEY_SCALE = 6;
/** Largest amount one booking may carry; anything above is a bug or an attack, not a top-up. */
export const MAX_BOOKING_AMOUNT = "1000000000";

/** An unsigned decimal string with up to six fractional digits: "12.5", "0.000012". */
export const UNSIGNED_DECIMAL = /^(0|[1-9]\d{0,17})(\.\d{1,6})?$/;
/** The same, optionally negative (adjustments). */
export const SIGNED_DECIMAL = /^-?(0|[1-9]\d{0,17})(\.\d{1,6})?$/;

export class MoneyFormatError extends Error {}

/** A decimal string, our Money, or a Prisma.Decimal read from a Decimal column. */
type MoneyInput = string | Decimal;

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

/**
 * A caller's amount as the ledger stores it ("12.500000"): parseMoney's rules, and zero only where
 * it is a valid question (a billing check's estimate); a booking of zero books nothing. Refusals
 * are VALIDATION_FAILED with the field named by `path`.
 */
export function requireMoneyString(
  value: string,
  opts: { signed?: boolean; allowZero?: boolean; path?: string } = {},
): string {
  try {
    const amount = parseMoney(value, opts);
    if (!opts.allowZero && amount.isZero()) throw new MoneyFormatError("amount must not be zero");
    return toMoneyString(amount);
  } catch (err) {
    if (!(err instanceof MoneyFormatError)) throw err;
    throw new DomainError("VALIDATION_FAILED", err.message, [{ path: opts.path ?? "amount", message: err.message }]);
  }
}

/** Why a typed-in decimal is not one: not plain digits at all, too many integer digits or decimals. */
export type DecimalIssue = "format" | "digits" | "decimals";

/** Plain digits, an optional fraction, an optional minus: no exponent, grouping, "+", ".5" or "5.". */
const TYPED_DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * Reads a decimal a person typed into a form, in the browser and on the server alike. Unlike the
 * API's strict spelling (UNSIGNED_DECIMAL), leading zeros are forgiven ("007.5"); the digits are
 * never read as a JavaScript number, so "100000.0000001" keeps its seventh decimal.
 */
export function readDecimal(
  value: string,
  opts: { signed?: boolean; maxDecimals?: number; maxIntegerDigits?: number } = {},
): { ok: true; amount: Money } | { ok: false; issue: DecimalIssue } {
  const match = TYPED_DECIMAL.exec(value);
  if (!match || (match[1] && !opts.signed)) return { ok: false, issue: "format" };
  if ((match[2]?.length ?? 0) > (opts.maxIntegerDigits ?? Infinity)) return { ok: false, issue: "digits" };
  if ((match[3]?.length ?? 0) > (opts.maxDecimals ?? MONEY_SCALE)) return { ok: false, issue: "decimals" };
  return { ok: true, amount: new Money(value) };
}

/**
 * The shortest plain spelling with at least `minDecimals` decimals: no leading zeros, no trailing
 * fraction zeros beyond those ("007.50" → "7.5", or "7.50" with two). Never an exponent.
 */
export function toPlainString(amount: MoneyInput, minDecimals = 0): string {
  const money = toMoney(amount);
  return money.toFixed(Math.max(minDecimals, money.decimalPlaces()));
}

export function toMoney(value: MoneyInput): Money {
  // Only our own constructor's instances pass through: another Decimal (Prisma's copy, or a plain
  // decimal.js clone with 20 digits and half-up) is re-read from its exact decimal string.
  return value.constructor === Money ? value : new Money(value.toString());
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
  return toMoney(amount).toDecimalPlaces(MONEY_SCALE, Decimal.ROUND_HALF_EVEN);
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

/**
 * Numbers and amounts as the dashboard shows them, one format per language: German as in
 * Switzerland (de-CH: `1'408.30`, `20'366`), English with commas (`1,408.30`). Safe in the
 * browser, and exact: amounts are decimal strings and are formatted as text, never through a
 * float. Intl is not used for the digits, because the server's and the browser's ICU may group
 * differently (newer CLDR writes U+2019 for de-CH), and the first paint must match the client.
 */
export type NumberLocale = "de" | "en";

const GROUP: Record<NumberLocale, string> = { de: "'", en: "," };
/** Typographic minus: the same width as the plus, so signed amounts still line up. */
export const MINUS = "\u2212";
export const MIN_DECIMALS = 2;
export const MAX_DECIMALS = 6;

const DECIMAL = /^([+-])?(\d+)(?:\.(\d*))?$/;

interface Parsed {
  negative: boolean;
  integer: string;
  fraction: string;
}

function parse(amount: string): Parsed {
  const match = DECIMAL.exec(amount.trim());
  if (!match) throw new Error(`"${amount}" is not a decimal string`);
  return { negative: match[1] === "-", integer: match[2] ?? "0", fraction: match[3] ?? "" };
}

/**
 * The decimals an amount needs: its significant fraction digits, at least MIN_DECIMALS, at most
 * MAX_DECIMALS ("12.500000" → 2, "0.000012" → 6).
 */
export function decimalsNeeded(amount: string, minDecimals = MIN_DECIMALS): number {
  const significant = parse(amount).fraction.replace(/0+$/, "").length;
  return Math.min(MAX_DECIMALS, Math.max(minDecimals, significant));
}

/** One number of decimals for a column: what its most precise amount needs, so the points line up. */
export function columnDecimals(amounts: Iterable<string>): number {
  let decimals = MIN_DECIMALS;
  for (const amount of amounts) decimals = Math.max(decimals, decimalsNeeded(amount));
  return decimals;
}

function group(integer: string, locale: NumberLocale): string {
  const digits = integer.replace(/^0+(?=\d)/, "");
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, GROUP[locale]);
}

/** Rounds to `decimals` places, half to even (the ledger's rule), on the digits themselves. */
function round({ negative, integer, fraction }: Parsed, decimals: number): Parsed {
  if (fraction.length <= decimals) return { negative, integer, fraction: fraction.padEnd(decimals, "0") };
  const kept = BigInt(integer + fraction.slice(0, decimals));
  const rest = fraction.slice(decimals);
  const half = `5${"0".repeat(rest.length - 1)}`;
  const up = rest > half || (rest === half && kept % 2n === 1n);
  const digits = (up ? kept + 1n : kept).toString().padStart(decimals + 1, "0");
  return {
    negative,
    integer: digits.slice(0, digits.length - decimals),
    fraction: digits.slice(digits.length - decimals),
  };
}

export interface FormatAmountOptions {
  /** Fixed decimals (e.g. the column's); default: what the amount needs (decimalsNeeded). */
  decimals?: number;
  /** "always": "+" before a positive amount too (credits and debits in one list). */
  sign?: "auto" | "always";
  /** Prefix "CHF " (a no-break space), as a currency amount. */
  currency?: string;
}

/**
 * An amount as text: grouped, with a fixed number of decimals and a typographic minus
 * ("−1'408.30"); zero is never signed.
 */
export function formatAmount(amount: string, locale: NumberLocale, options: FormatAmountOptions = {}): string {
  const decimals = options.decimals ?? decimalsNeeded(amount);
  const { negative, integer, fraction } = round(parse(amount), decimals);
  const zero = /^0*$/.test(integer + fraction);
  const sign = zero ? "" : negative ? MINUS : options.sign === "always" ? "+" : "";
  const number = `${sign}${group(integer, locale)}${decimals > 0 ? `.${fraction}` : ""}`;
  return options.currency ? `${options.currency}\u00a0${number}` : number;
}

/** A count or other whole number: "20'366" in German, "20,366" in English. */
export function formatCount(value: number | bigint, locale: NumberLocale): string {
  const text = typeof value === "bigint" ? value.toString() : String(Math.trunc(value));
  const negative = text.startsWith("-");
  return `${negative ? MINUS : ""}${group(negative ? text.slice(1) : text, locale)}`;
}

/**
 * A plain decimal number (a percentage, megabytes): grouped like an amount, with the decimals it
 * needs (at least `minDecimals`, at most MAX_DECIMALS) and no currency: "12.5", "1'536.25".
 */
export function formatNumber(value: string, locale: NumberLocale, minDecimals = 0): string {
  return formatAmount(value, locale, { decimals: decimalsNeeded(value, minDecimals) });
}

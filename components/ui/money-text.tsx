import type { HTMLAttributes } from "react";
import { formatMoney, type DisplayLocale } from "@/lib/money/format";
import styles from "./surface.module.css";

interface MoneyTextProps extends HTMLAttributes<HTMLSpanElement> {
  /** Decimal string as the API and lib/money carry it, e.g. "12.500000"; never a number. */
  amount: string;
  currency?: string;
  locale: DisplayLocale;
  /** Fixed decimals (a column's, so the points line up); default: 2, or up to 6 for sub-centime digits. */
  decimals?: number;
}

/**
 * An amount in the language's one number format (sub-centime digits kept), in tabular numerals so
 * figures line up; a negative amount carries a typographic minus and is marked in red, so colour
 * is never the only sign.
 */
export function MoneyText({ amount, currency = "CHF", locale, decimals, className, ...rest }: MoneyTextProps) {
  const negative = amount.trim().startsWith("-") && /[1-9]/.test(amount);
  return (
    <span
      className={[styles.money, negative ? styles.negative : "", className].filter(Boolean).join(" ")}
      data-amount={amount}
      {...rest}
    >
      {formatMoney(amount, locale, currency, decimals)}
    </span>
  );
}

import type { HTMLAttributes } from "react";
import { formatMoney, type DisplayLocale } from "@/lib/money/format";
import styles from "./surface.module.css";

interface MoneyTextProps extends HTMLAttributes<HTMLSpanElement> {
  /** Decimal string as the API and lib/money carry it, e.g. "12.500000"; never a number. */
  amount: string;
  currency?: string;
  locale: DisplayLocale;
}

/** An amount formatted exactly (sub-centime digits kept), negative amounts marked in red. */
export function MoneyText({ amount, currency = "CHF", locale, className, ...rest }: MoneyTextProps) {
  const negative = amount.trim().startsWith("-") && /[1-9]/.test(amount);
  return (
    <span
      className={[styles.money, negative ? styles.negative : "", className].filter(Boolean).join(" ")}
      data-amount={amount}
      {...rest}
    >
      {formatMoney(amount, locale, currency)}
    </span>
  );
}

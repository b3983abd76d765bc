import type { TFunction } from "i18next";
import type { TransactionType } from "@/lib/db/generated/enums";
import type { Locale } from "@/lib/i18n/config";
import { formatAmount } from "@/lib/i18n/format-money";
import styles from "./transactions.module.css";

/**
 * A transaction's effect on the balance, as a signed decimal string: a DEBIT is stored as a
 * positive amount that lowers the balance, a CREDIT raises it, an ADJUSTMENT carries its sign.
 * Text only, no arithmetic: the amount's digits are kept as they are.
 */
export function balanceEffect(type: TransactionType, amount: string): string {
  if (type !== "DEBIT") return amount;
  return amount.startsWith("-") ? amount.slice(1) : `-${amount}`;
}

interface SignedAmountProps {
  /** Decimal string, signed. */
  amount: string;
  currency: string;
  /** The column's decimals (columnDecimals), so the decimal points line up. */
  decimals: number;
  locale: Locale;
  /** The "billing" namespace. */
  t: TFunction;
  /** A balance: a minus when negative, no "+" and no icon. */
  plain?: boolean;
}

/**
 * An amount that tells money in from money out by more than colour: a "+" or "−" sign and an
 * arrow with an accessible name ("Credit"/"Debit"); tabular numerals in a right-aligned cell.
 */
export function SignedAmount({ amount, currency, decimals, locale, t, plain = false }: SignedAmountProps) {
  const negative = amount.startsWith("-") && /[1-9]/.test(amount);
  const text = formatAmount(amount, locale, { decimals, sign: plain ? "auto" : "always" });
  const direction = negative ? "debit" : "credit";
  return (
    <span className={[styles.amount, negative ? styles.negative : ""].filter(Boolean).join(" ")} data-amount={amount}>
      {plain ? null : (
        <span role="img" aria-label={t(`transactions.direction.${direction}`)} className={styles.direction}>
          {negative ? "↓" : "↑"}
        </span>
      )}
      <span className={styles.currency}>{currency}</span>
      <span className={styles.digits}>{text}</span>
    </span>
  );
}

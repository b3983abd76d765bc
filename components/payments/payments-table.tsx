import { Badge } from "@/components/ui/badge";
import { MoneyText } from "@/components/ui/money-text";
import { numericCell, Table } from "@/components/ui/table";
import { DateTimeText } from "@/components/admin/date-time-text";
import type { PaymentStatus } from "@/lib/db/generated/enums";
import type { Locale } from "@/lib/i18n/config";
import { formatDateTime } from "@/lib/i18n/format-date-time";
import { getTranslator } from "@/lib/i18n/get-translator";
import { enumLabel, fieldLabel } from "@/lib/i18n/model-metadata";
import { formatMoney } from "@/lib/money/format";
import type { PaymentView } from "@/lib/payments/list-payments";
import styles from "./payments.module.css";

const STATUS_TONE: Record<PaymentStatus, "neutral" | "accent" | "ok" | "danger"> = {
  PENDING: "neutral",
  PROCESSING: "accent",
  PAID: "ok",
  FAILED: "danger",
  EXPIRED: "neutral",
};

/** Stripe's card brands as people write them; an unknown one is shown as Stripe sends it. */
const CARD_BRANDS: Record<string, string> = {
  visa: "Visa",
  mastercard: "Mastercard",
  amex: "American Express",
  discover: "Discover",
  diners: "Diners Club",
  jcb: "JCB",
  unionpay: "UnionPay",
  cartes_bancaires: "Cartes Bancaires",
};

const DISPUTE_STATUSES = new Set([
  "warning_needs_response",
  "warning_under_review",
  "warning_closed",
  "needs_response",
  "under_review",
  "won",
  "lost",
]);

/**
 * The mandate's payments, newest first, server-rendered. Narrow screens scroll the table
 * sideways (components/ui/table.tsx), as the other tables do.
 */
export function PaymentsTable({ payments, locale }: { payments: PaymentView[]; locale: Locale }) {
  const t = getTranslator(locale, "billing");
  const label = (field: "createdAt" | "amount" | "status" | "cardLast4" | "receiptUrl") =>
    fieldLabel("Payment", field, locale);
  const none = t("payments.none");
  return (
    <Table label={t("payments.tableLabel")} data-testid="payments-table">
      <thead>
        <tr>
          <th scope="col">{label("createdAt")}</th>
          <th scope="col" className={numericCell}>
            {label("amount")}
          </th>
          <th scope="col">{label("status")}</th>
          <th scope="col">{t("payments.cardColumn")}</th>
          <th scope="col" className={numericCell}>
            {t("payments.refunded")}
          </th>
          <th scope="col">{t("payments.disputes")}</th>
          <th scope="col">{label("receiptUrl")}</th>
        </tr>
      </thead>
      <tbody>
        {payments.map((payment) => (
          <tr
            key={payment.id}
            data-testid="payment-row"
            data-payment-id={payment.id}
            data-status={payment.status}
            data-kind={payment.kind}
          >
            <td className={styles.nowrap}>
              <DateTimeText value={payment.createdAt} locale={locale} />
              <span className={styles.kind} data-field="kind">
                {enumLabel("PaymentKind", payment.kind, locale)}
              </span>
            </td>
            <td className={numericCell} data-field="amount">
              <MoneyText amount={payment.amount} currency={payment.currency} locale={locale} />
            </td>
            <td data-field="status">
              <Badge tone={STATUS_TONE[payment.status]}>{enumLabel("PaymentStatus", payment.status, locale)}</Badge>
            </td>
            <td className={styles.nowrap} data-field="card">
              {payment.cardLast4
                ? t("payments.card", { brand: cardBrand(payment.cardBrand), last4: payment.cardLast4 })
                : none}
            </td>
            <td className={numericCell} data-field="refunded">
              {payment.refunds.length > 0 ? (
                <MoneyText amount={payment.refunded} currency={payment.currency} locale={locale} />
              ) : (
                none
              )}
            </td>
            <td data-field="disputes">
              {payment.disputes.length > 0 ? (
                <ul className={styles.disputes}>
                  {payment.disputes.map((dispute) => (
                    <li key={dispute.id} data-dispute-status={dispute.status}>
                      {t("payments.dispute", {
                        amount: formatMoney(dispute.amount, locale, payment.currency),
                        status: t(
                          `payments.disputeStatus.${DISPUTE_STATUSES.has(dispute.status) ? dispute.status : "unknown"}`,
                        ),
                      })}
                    </li>
                  ))}
                </ul>
              ) : (
                none
              )}
            </td>
            <td data-field="receipt">
              {isWebAddress(payment.receiptUrl) ? (
                <a
                  href={payment.receiptUrl}
                  target="_blank"
                  rel="noopener noreferrer"
                  aria-label={t("payments.receiptFor", {
                    amount: formatMoney(payment.amount, locale, payment.currency),
                    date: formatDateTime(payment.createdAt.toISOString(), locale),
                  })}
                >
                  {t("payments.receipt")}
                </a>
              ) : (
                none
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

function cardBrand(brand: string | null): string {
  if (!brand) return "";
  return CARD_BRANDS[brand] ?? brand;
}

/** Stripe's receipt address, and only a web address: never a javascript: link from stored data. */
function isWebAddress(url: string | null): url is string {
  return url !== null && /^https?:\/\//i.test(url);
}

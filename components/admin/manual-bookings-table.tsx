import { EmptyState } from "@/components/ui/empty-state";
import { MoneyText } from "@/components/ui/money-text";
import { numericCell, Table } from "@/components/ui/table";
import type { ManualBookingRow } from "@/lib/admin/list-manual-bookings";
import type { Locale } from "@/lib/i18n/config";
import { columnDecimals } from "@/lib/i18n/format-money";
import { getTranslator } from "@/lib/i18n/get-translator";
import { enumLabel, fieldLabel } from "@/lib/i18n/model-metadata";
import styles from "./admin.module.css";
import { DateTimeText } from "./date-time-text";

/** Who booked what and why: the audit view of a mandate's manual bookings. */
export function ManualBookingsTable({ bookings, locale }: { bookings: ManualBookingRow[]; locale: Locale }) {
  const t = getTranslator(locale, "billing");
  if (bookings.length === 0) return <EmptyState title={t("admin.booking.recentEmpty")} />;
  // One number of decimals per amount column, so the decimal points line up.
  const amountDecimals = columnDecimals(bookings.map((b) => b.amount));
  const balanceDecimals = columnDecimals(bookings.map((b) => b.balanceAfter));
  const label = (
    name: "bookedAt" | "transactionType" | "amount" | "balanceAfter" | "description" | "createdByUserId",
  ) => fieldLabel("BillingTransaction", name, locale);
  return (
    <Table label={t("admin.booking.recent")} data-testid="manual-bookings">
      <thead>
        <tr>
          <th scope="col">{label("bookedAt")}</th>
          <th scope="col">{label("transactionType")}</th>
          <th scope="col" className={numericCell}>
            {label("amount")}
          </th>
          <th scope="col">{label("description")}</th>
          <th scope="col">{label("createdByUserId")}</th>
          <th scope="col" className={numericCell}>
            {label("balanceAfter")}
          </th>
        </tr>
      </thead>
      <tbody>
        {bookings.map((b) => (
          <tr key={b.transactionId}>
            <td>
              <DateTimeText value={b.bookedAt} locale={locale} />
            </td>
            <td>{enumLabel("TransactionType", b.type, locale)}</td>
            <td className={numericCell}>
              <MoneyText amount={b.amount} currency={b.currency} locale={locale} decimals={amountDecimals} />
            </td>
            <td className={styles.reason}>{b.reason}</td>
            <td>
              {b.createdBy ? (
                <>
                  {b.createdBy.name}
                  <br />
                  <span className={styles.muted}>{b.createdBy.email}</span>
                </>
              ) : (
                <span className={styles.muted}>{t("admin.booking.deletedUser")}</span>
              )}
            </td>
            <td className={numericCell}>
              <MoneyText amount={b.balanceAfter} currency={b.currency} locale={locale} decimals={balanceDecimals} />
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

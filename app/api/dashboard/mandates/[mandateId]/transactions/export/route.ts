import { zurichDate } from "@/lib/dashboard/business-dates";
import { countTransactionViews } from "@/lib/dashboard/list-transaction-views";
import { toListOptions, TransactionQuery } from "@/lib/dashboard/transaction-query";
import { DomainError } from "@/lib/errors";
import { csvFormatFor } from "@/lib/export/csv-format";
import { streamTransactionsCsv, transactionsExportFilename } from "@/lib/export/stream-transactions-csv";
import { getRequestLocale } from "@/lib/i18n/get-request-locale";
import { getMandate } from "@/lib/mandates/get-mandate";
import { dashboardRoute, PRIVATE } from "@/lib/http/dashboard-route";

export const dynamic = "force-dynamic";

/**
 * Every row the table's filters match, as CSV, streamed batch by batch (never all rows in
 * memory). Same session check, filters and member restriction as the table. X-Total-Count is
 * counted before the stream starts so the client can show progress; rows booked while the export
 * runs may make the file a little longer than announced.
 */
export const GET = dashboardRoute(TransactionQuery, async (member, query) => {
  const [total, mandate, locale] = await Promise.all([
    countTransactionViews(member, query),
    getMandate(member.mandateId),
    getRequestLocale(),
  ]);
  if (!mandate) throw new DomainError("NOT_FOUND", "mandate not found");
  // The export always starts at the first row of the chosen order, whatever page the table shows.
  const options = toListOptions(member, { ...query, cursor: undefined, before: undefined });
  const filename = transactionsExportFilename(mandate.name, zurichDate(new Date()));
  // In the reader's language: semicolons and de-CH numbers for German, commas for English (csv-format.ts).
  const format = csvFormatFor(locale);
  return new Response(streamTransactionsCsv(options, format), {
    headers: {
      ...PRIVATE,
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "X-Total-Count": String(total),
    },
  });
});

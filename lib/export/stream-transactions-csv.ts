import { toTransactionViews } from "@/lib/dashboard/list-transaction-views";
import { EXPORT_BATCH_SIZE, iterateTransactions, type ListTransactionsOptions } from "@/lib/ledger/list-transactions";
import { CSV_BOM } from "./csv";
import type { CsvFormat } from "./csv-format";
import { transactionCsvHeader, transactionCsvRecord } from "./transaction-csv";

/**
 * Every row matching `opts` as a UTF-8 CSV stream in the reader's format: BOM and header first, then one chunk per
 * keyset batch. Pull-based: the next batch is read only when the consumer (the HTTP response,
 * i.e. the client's download) has taken the previous one, so a slow client never makes the
 * server buffer the ledger, and a cancelled download stops the walk.
 */
export function streamTransactionsCsv(
  opts: Omit<ListTransactionsOptions, "limit" | "cursor">,
  format: CsvFormat,
  batchSize = EXPORT_BATCH_SIZE,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const batches = iterateTransactions(opts, batchSize);
  let headerSent = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!headerSent) {
          headerSent = true;
          controller.enqueue(encoder.encode(CSV_BOM + transactionCsvHeader(format)));
          return;
        }
        const next = await batches.next();
        if (next.done) {
          controller.close();
          return;
        }
        const rows = await toTransactionViews(next.value);
        controller.enqueue(encoder.encode(rows.map((row) => transactionCsvRecord(row, format)).join("")));
      },
      async cancel() {
        await batches.return(undefined);
      },
    },
    // One chunk (a batch) queued ahead at most.
    { highWaterMark: 1 },
  );
}

/** "transactions_demo-ag_2026-11-24.csv": ASCII only, so every browser keeps the name. */
export function transactionsExportFilename(mandateName: string, date: string): string {
  const slug =
    mandateName
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60) || "mandate";
  return `transactions_${slug}_${date}.csv`;
}

import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestMandate, type TestMandate } from "@/testing/test-factories";
import { toListOptions, TransactionQuery } from "@/lib/dashboard/transaction-query";
import { listTransactionViews } from "@/lib/dashboard/list-transaction-views";
import type { DashboardViewer } from "@/lib/dashboard/viewer";
import { bookUsage } from "@/lib/ledger/book-usage";
import { countTransactions } from "@/lib/ledger/list-transactions";
import { csvFormatFor } from "./csv-format";
import { createCsvRecordCounter } from "./csv-record-counter";
import { streamTransactionsCsv, transactionsExportFilename } from "./stream-transactions-csv";
import { transactionCsvHeader, transactionCsvRecord } from "./transaction-csv";

let m: TestMandate;
const DE_CH = csvFormatFor("de");

beforeAll(async () => {
  m = await createTestMandate({ balance: "5" });
  await Promise.all(
    Array.from({ length: 23 }, (_, i) =>
      bookUsage({
        mandateId: m.mandateId,
        userId: i % 2 ? m.memberId : null,
        amount: `0.${String(i + 1).padStart(6, "0")}`,
        idempotencyKey: randomUUID(),
        provider: i % 3 ? "anthropic" : "openai",
        featureCode: "chat",
        description: i === 5 ? 'multi\nline, "quoted"' : undefined,
      }),
    ),
  );
});

/** Reads a stream the way a browser download does, chunk by chunk, counting what arrives. */
async function readAll(
  stream: ReadableStream<Uint8Array>,
): Promise<{ text: string; chunks: number; bytes: Uint8Array }> {
  const parts: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
  }
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return { text: new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes), chunks: parts.length, bytes };
}

describe("streamTransactionsCsv", () => {
  it("streams BOM, translated header and every matching row in batches, in the table's order", async () => {
    const owner: DashboardViewer = { mandateId: m.mandateId, userId: m.ownerId, role: "OWNER" };
    const query = TransactionQuery.parse({ provider: "anthropic", sort: "amount", dir: "desc" });
    const options = toListOptions(owner, query);
    const { text, chunks, bytes } = await readAll(streamTransactionsCsv(options, DE_CH, 4));
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text.startsWith("\uFEFF" + transactionCsvHeader(DE_CH))).toBe(true);

    const expected = await listTransactionViews(owner, query, 500);
    expect(expected.items).toHaveLength(15);
    const records = expected.items.map((row) => transactionCsvRecord(row, DE_CH)).join("");
    expect(text).toBe("\uFEFF" + transactionCsvHeader(DE_CH) + records);
    expect(chunks).toBe(1 + Math.ceil(15 / 4)); // header, then one chunk per batch
    // German throughout: labels, the rendered description, de-CH amounts, Zurich time with offset.
    const first = text.split("\r\n")[1] ?? "";
    expect(first).toMatch(
      /^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2} \+0[12]:00;[^;]+;Belastung;0\.000023;CHF;4\.99\d{4};AI-Nutzung: Anthropic \(Chat\);AI-Workflow;/,
    );
    expect(text).toContain(';"multi\nline, ""quoted""";');
    const counter = createCsvRecordCounter();
    counter.push(text);
    expect(counter.records - 1).toBe(await countTransactions(options));
  });

  it("exports only a MEMBER's own rows whatever the filter, and stops when cancelled", async () => {
    const member: DashboardViewer = { mandateId: m.mandateId, userId: m.memberId, role: "MEMBER" };
    const options = toListOptions(member, TransactionQuery.parse({ user: m.ownerId }));
    const { text } = await readAll(streamTransactionsCsv(options, csvFormatFor("en"), 5));
    // Split on the record ends (CRLF): the quoted description's own line break is a bare LF.
    const rows = text.trimEnd().split("\r\n").slice(1);
    expect(rows).toHaveLength(11);
    expect(rows.every((row) => row.includes(`,${m.memberId},`))).toBe(true);
    expect(
      rows.filter((row) => row.includes(",Debit,0.0000") && row.includes(",AI usage: OpenAI (Chat),")),
    ).toHaveLength(4);

    const stream = streamTransactionsCsv(options, csvFormatFor("en"), 1);
    const reader = stream.getReader();
    await reader.read(); // header
    await reader.read(); // first batch
    await reader.cancel();
    expect((await reader.read().catch(() => ({ done: true }))).done).toBe(true);
  });

  it("names the file after the mandate and the date, in ASCII", () => {
    expect(transactionsExportFilename("Demo AG", "2026-11-24")).toBe("transactions_demo-ag_2026-11-24.csv");
    expect(transactionsExportFilename("Zürich Café / Bär", "2026-01-02")).toBe(
      "transactions_zurich-cafe-bar_2026-01-02.csv",
    );
    expect(transactionsExportFilename("日本", "2026-01-02")).toBe("transactions_mandate_2026-01-02.csv");
  });
});

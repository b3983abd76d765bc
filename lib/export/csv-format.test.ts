import { describe, expect, it } from "vitest";
import type { TransactionView } from "@/lib/dashboard/list-transaction-views";
import { CSV_BOM } from "./csv";
import { csvFormatFor } from "./csv-format";
import { formatCsvTime } from "./csv-time";
import { transactionCsvHeader, transactionCsvRecord } from "./transaction-csv";

const ROW: TransactionView = {
  id: "00000000-0000-4000-8000-000000000001",
  accountId: "00000000-0000-4000-8000-000000000002",
  mandateId: "00000000-0000-4000-8000-000000000003",
  transactionType: "DEBIT",
  amount: "1408.300000",
  currency: "CHF",
  balanceAfter: "-1234.000001",
  description: "AI usage: openai gpt-4o (workspace)",
  referenceType: "WORKFLOW",
  referenceId: null,
  workflowId: null,
  featureInstanceId: null,
  featureCode: "workspace",
  aicoreProvider: "openai",
  aicoreModel: "gpt-4o",
  createdByUserId: "00000000-0000-4000-8000-000000000004",
  createdByUserName: "Müller, Zoë",
  wording: null,
  processingTime: "1.250",
  bytesSent: 20366,
  bytesReceived: 99,
  errorCount: 0,
  createdAt: "2026-11-24T12:00:00.123456Z",
  bookedAt: "2026-07-01T12:00:01.000001Z",
};

/** The file's bytes as the export writes them: BOM, header, one record. */
function file(locale: "de" | "en", row: TransactionView = ROW): Buffer {
  const format = csvFormatFor(locale);
  return Buffer.from(CSV_BOM + transactionCsvHeader(format) + transactionCsvRecord(row, format), "utf8");
}

/** Splits one record on the separator, honouring quotes (enough for these rows). */
function fields(record: string, separator: string): string[] {
  const out: string[] = [];
  let current = "";
  let quoted = false;
  for (const c of record) {
    if (c === '"') quoted = !quoted;
    else if (c === separator && !quoted) {
      out.push(current);
      current = "";
    } else current += c;
  }
  out.push(current);
  return out;
}

function parse(bytes: Buffer, separator: string): { header: string[]; values: string[] } {
  const [header = "", record = ""] = bytes.subarray(3).toString("utf8").split("\r\n");
  return { header: fields(header, separator), values: fields(record, separator) };
}

describe("the transactions CSV in the reader's language", () => {
  it("German: BOM, semicolons, labels, de-CH numbers, Zurich times with their offset", () => {
    const bytes = file("de");
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const { header, values } = parse(bytes, ";");
    expect(header.slice(0, 7)).toEqual([
      "Gebucht am",
      "Aufruf am",
      "Typ",
      "Betrag (CHF)",
      "Währung",
      "Saldo danach (CHF)",
      "Beschreibung",
    ]);
    expect(values).toHaveLength(header.length);
    expect(values.slice(0, 12)).toEqual([
      "01.07.2026 14:00:01 +02:00", // summer time
      "24.11.2026 13:00:00 +01:00",
      "Belastung",
      "1'408.30",
      "CHF",
      "-1'234.000001",
      "AI-Nutzung: OpenAI gpt-4o (Arbeitsbereich)",
      "AI-Workflow",
      "",
      "OpenAI",
      "gpt-4o",
      "Arbeitsbereich",
    ]);
    expect(values.slice(13)).toEqual([
      "Müller, Zoë",
      "00000000-0000-4000-8000-000000000004",
      "1.250",
      "20'366",
      "99",
      "0",
      "00000000-0000-4000-8000-000000000001",
    ]);
  });

  it("English: BOM, commas, grouped amounts quoted, labels, times year first with their offset", () => {
    const bytes = file("en");
    const { header, values } = parse(bytes, ",");
    expect(header.slice(0, 7)).toEqual([
      "Booked at",
      "Call time",
      "Type",
      "Amount (CHF)",
      "Currency",
      "Balance after (CHF)",
      "Description",
    ]);
    expect(values).toHaveLength(header.length);
    expect(values.slice(0, 8)).toEqual([
      "2026-07-01 14:00:01 +02:00",
      "2026-11-24 13:00:00 +01:00",
      "Debit",
      "1,408.30",
      "CHF",
      "-1,234.000001",
      "AI usage: OpenAI gpt-4o (Workspace)",
      "AI workflow",
    ]);
    expect(bytes.toString("utf8")).toContain(',"1,408.30",CHF,"-1,234.000001",');
    expect(values[16]).toBe("20,366");
  });

  it("keeps a separator inside a typed description quoted, in both languages", () => {
    const typed = { ...ROW, referenceType: "ADMIN" as const, description: "Nachladung; Rechnung 7, Zoë" };
    expect(file("de", typed).toString("utf8")).toContain(';"Nachladung; Rechnung 7, Zoë";Admin-Korrektur;');
    expect(file("en", typed).toString("utf8")).toContain(',"Nachladung; Rechnung 7, Zoë",Admin adjustment,');
  });
});

describe("formatCsvTime", () => {
  it.each([
    ["2026-12-05T13:03:00Z", "05.12.2026 14:03:00 +01:00", "2026-12-05 14:03:00 +01:00"],
    ["2026-03-29T00:59:59Z", "29.03.2026 01:59:59 +01:00", "2026-03-29 01:59:59 +01:00"],
    ["2026-03-29T01:00:00Z", "29.03.2026 03:00:00 +02:00", "2026-03-29 03:00:00 +02:00"],
    ["2026-10-25T00:30:00Z", "25.10.2026 02:30:00 +02:00", "2026-10-25 02:30:00 +02:00"],
    ["2026-10-25T01:30:00.999999Z", "25.10.2026 02:30:00 +01:00", "2026-10-25 02:30:00 +01:00"],
    ["2026-12-31T23:00:00Z", "01.01.2027 00:00:00 +01:00", "2027-01-01 00:00:00 +01:00"],
  ])("%s → %s / %s (Zurich, across the DST switches)", (iso, de, en) => {
    expect(formatCsvTime(iso, "de")).toBe(de);
    expect(formatCsvTime(iso, "en")).toBe(en);
  });
});

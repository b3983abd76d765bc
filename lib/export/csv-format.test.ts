import { describe, expect, it } from "vitest";
import type { TransactionView } from "@/lib/dashboard/list-transaction-views";
import { CSV_BOM } from "./csv";
import { csvFormatFor } from "./csv-format";
import { transactionCsvHeader, transactionCsvRecord } from "./transaction-csv";

const ROW: TransactionView = {
  id: "00000000-0000-4000-8000-000000000001",
  accountId: "00000000-0000-4000-8000-000000000002",
  mandateId: "00000000-0000-4000-8000-000000000003",
  transactionType: "DEBIT",
  amount: "12.500000",
  currency: "CHF",
  balanceAfter: "-1234.000001",
  description: "Nachladung; Rechnung 7, Zoë",
  referenceType: "WORKFLOW",
  referenceId: null,
  workflowId: null,
  featureInstanceId: null,
  featureCode: "chat",
  aicoreProvider: "anthropic",
  aicoreModel: "claude-4-sonnet",
  createdByUserId: "00000000-0000-4000-8000-000000000004",
  createdByUserName: "Müller, Zoë",
  processingTime: "1.250",
  bytesSent: 1234,
  bytesReceived: 99,
  errorCount: 0,
  createdAt: "2026-11-24T12:00:00.123456Z",
  bookedAt: "2026-11-24T12:00:01.000001Z",
};

/** The file's bytes as the export writes them: BOM, header, one record. */
function file(locale: "de" | "en", acceptLanguage?: string): Buffer {
  const format = csvFormatFor(locale, acceptLanguage);
  return Buffer.from(CSV_BOM + transactionCsvHeader(format) + transactionCsvRecord(ROW, format), "utf8");
}

/** Splits one unquoted-safe record on the separator, honouring quotes (enough for these rows). */
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

describe("CSV for Excel per UI language", () => {
  it("German, Swiss region: BOM, semicolons, decimal point, quoted field with a semicolon", () => {
    const bytes = file("de", "de-CH,de;q=0.9,en;q=0.8");
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header = "", record = ""] = bytes.subarray(3).toString("utf8").split("\r\n");
    expect(header.startsWith("Gebucht am;Aufruf am;Typ;Betrag (CHF);Währung;Saldo danach (CHF);Beschreibung;")).toBe(
      true,
    );
    expect(record).toContain(';DEBIT;12.500000;CHF;-1234.000001;"Nachladung; Rechnung 7, Zoë";');
    const values = fields(record, ";");
    expect(values).toHaveLength(fields(header, ";").length);
    expect(values[3]).toBe("12.500000");
    expect(values[13]).toBe("Müller, Zoë");
    expect(values[15]).toBe("1.250");
  });

  it("German, Germany or Austria: semicolons and a decimal comma", () => {
    for (const lang of ["de-DE,de;q=0.9", "de-AT", "en-US, de-de;q=0.5"]) {
      const record = file("de", lang).subarray(3).toString("utf8").split("\r\n")[1] ?? "";
      expect(record, lang).toContain(";DEBIT;12,500000;CHF;-1234,000001;");
      expect(fields(record, ";")[15], lang).toBe("1,250");
    }
  });

  it("German without a region: the Swiss decimal point", () => {
    const record = file("de", "de").subarray(3).toString("utf8").split("\r\n")[1] ?? "";
    expect(record).toContain(";DEBIT;12.500000;CHF;");
    expect(file("de").subarray(3).toString("utf8")).toContain(";12.500000;");
  });

  it("English: BOM, commas, decimal point, quoted field with a comma", () => {
    const bytes = file("en", "de-DE");
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header = "", record = ""] = bytes.subarray(3).toString("utf8").split("\r\n");
    expect(header.startsWith("Booked at,Call time,Type,Amount (CHF),Currency,Balance after (CHF),Description,")).toBe(
      true,
    );
    expect(record).toContain(',DEBIT,12.500000,CHF,-1234.000001,"Nachladung; Rechnung 7, Zoë",');
    const values = fields(record, ",");
    expect(values).toHaveLength(fields(header, ",").length);
    expect(values[13]).toBe("Müller, Zoë");
  });
});

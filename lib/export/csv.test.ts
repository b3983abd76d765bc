import { describe, expect, it } from "vitest";
import type { TransactionView } from "@/lib/dashboard/list-transaction-views";
import { CSV_BOM, csvField, csvRecord } from "./csv";
import { csvFormatFor } from "./csv-format";
import { createCsvRecordCounter } from "./csv-record-counter";
import { transactionCsvHeader, transactionCsvRecord } from "./transaction-csv";

const ROW: TransactionView = {
  id: "00000000-0000-4000-8000-000000000001",
  accountId: "00000000-0000-4000-8000-000000000002",
  mandateId: "00000000-0000-4000-8000-000000000003",
  transactionType: "DEBIT",
  amount: "0.000012",
  currency: "CHF",
  balanceAfter: "-1234567.500000",
  description: 'AI usage: "claude", chat\r\nsecond line',
  referenceType: "WORKFLOW",
  referenceId: '=HYPERLINK("http://x")',
  workflowId: null,
  featureInstanceId: null,
  featureCode: "chat",
  aicoreProvider: "anthropic",
  aicoreModel: "claude-4-sonnet",
  createdByUserId: "00000000-0000-4000-8000-000000000004",
  createdByUserName: "Müller, Zoë",
  wording: null,
  processingTime: "1.250",
  bytesSent: 1234,
  bytesReceived: 99,
  errorCount: 0,
  createdAt: "2026-11-24T12:00:00.123456Z",
  bookedAt: "2026-11-24T12:00:01.000001Z",
};

const EN = csvFormatFor("en");
/** The German labels, comma-separated: only the header's language is under test there. */
const EN_HEADER_DE = { ...EN, locale: "de" } as const;

describe("csv", () => {
  it("quotes per RFC 4180 only where needed and doubles quotes", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("line\nbreak")).toBe('"line\nbreak"');
    expect(csvField("cr\rx")).toBe('"cr\rx"');
    expect(csvField(null)).toBe("");
    expect(csvField(0)).toBe("0");
    expect(csvField("a;b")).toBe("a;b");
    expect(csvField("a;b", { separator: ";" })).toBe('"a;b"');
    expect(csvField("12,5", { separator: ";" })).toBe("12,5");
    expect(csvRecord(["a", "b"])).toBe("a,b\r\n");
    expect(csvRecord(["a", "b"], ";")).toBe("a;b\r\n");
  });

  it("keeps spreadsheets from running free text as a formula, but leaves amounts exact", () => {
    expect(csvField("=1+1", { text: true })).toBe("'=1+1");
    expect(csvField("@SUM(A1)", { text: true })).toBe("'@SUM(A1)");
    expect(csvField("-7.000000", { text: true })).toBe("'-7.000000");
    expect(csvField("-7.000000")).toBe("-7.000000");
  });

  it("writes the header from model-metadata in the reader's language", () => {
    const en = transactionCsvHeader(EN);
    const de = transactionCsvHeader(EN_HEADER_DE);
    expect(
      en.startsWith("Booked at,Call time,Type,Amount (CHF),Currency,Balance after (CHF),Description,Reference type,"),
    ).toBe(true);
    expect(
      de.startsWith("Gebucht am,Aufruf am,Typ,Betrag (CHF),Währung,Saldo danach (CHF),Beschreibung,Referenztyp,"),
    ).toBe(true);
    expect(de).toContain(",AI-Anbieter,AI-Modell,Feature-Code,Workflow-ID,Erstellt von Benutzer,Benutzer-ID,");
    expect(en.endsWith(",Error count,ID\r\n")).toBe(true);
    expect(CSV_BOM).toBe("\uFEFF");
  });

  it("writes a row in the reader's format, quoting and guarding free text", () => {
    expect(transactionCsvRecord(ROW, EN)).toBe(
      [
        "2026-11-24 13:00:01 +01:00",
        "2026-11-24 13:00:00 +01:00",
        "Debit",
        "0.000012",
        "CHF",
        '"-1,234,567.50"',
        '"AI usage: ""claude"", chat\r\nsecond line"',
        "AI workflow",
        `"'=HYPERLINK(""http://x"")"`,
        "Anthropic",
        "claude-4-sonnet",
        "Chat",
        "",
        '"Müller, Zoë"',
        "00000000-0000-4000-8000-000000000004",
        "1.250",
        '"1,234"',
        "99",
        "0",
        "00000000-0000-4000-8000-000000000001",
      ].join(",") + "\r\n",
    );
  });

  it("counts records across chunk boundaries, not line breaks inside quoted fields", () => {
    const de = csvFormatFor("de");
    const text = CSV_BOM + transactionCsvHeader(de) + transactionCsvRecord(ROW, de).repeat(3);
    for (const size of [1, 2, 7, 64, text.length]) {
      const counter = createCsvRecordCounter();
      let counted = 0;
      for (let i = 0; i < text.length; i += size) counted = counter.push(text.slice(i, i + size));
      expect(counted, `chunks of ${size}`).toBe(4);
      expect(counter.records).toBe(4);
    }
  });
});

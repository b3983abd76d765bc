import { describe, expect, it } from "vitest";
import type { UsageBatchResponse, UsageResponse } from "@/lib/api/routes/billing";
import { listTransactionViews } from "@/lib/dashboard/list-transaction-views";
import { toListOptions } from "@/lib/dashboard/transaction-query";
import type { DashboardViewer } from "@/lib/dashboard/viewer";
import { csvFormatFor } from "@/lib/export/csv-format";
import { streamTransactionsCsv } from "@/lib/export/stream-transactions-csv";
import type { TransactionItem, TransactionPage } from "@/lib/ledger/list-transactions";
import { sub, toMoneyString } from "@/lib/money/money";
import { apiClient, createTestApiKey } from "@/testing/api-client";
import { appServerForThisFile } from "@/testing/app-server";
import { sampleUsageEvent } from "@/testing/sample-usage-event";
import { createTestMandate } from "@/testing/test-factories";

/**
 * A gateway reports calls late and out of order: here every call booked happened before the
 * one booked just before it. The lists must still read as a running balance, row after row, in
 * the API, the dashboard's query and the CSV, because they follow booking order, not call time.
 */
const app = appServerForThisFile();
const HOUR = 3_600_000;

interface Row {
  transactionType: string;
  amount: string;
  balanceAfter: string;
  createdAt: string;
  bookedAt: string;
}

/** Listed last booked first: each row's balance is the next (earlier) row's, moved by its own amount. */
function expectRunningBalance(rows: readonly Row[], what: string): void {
  expect(rows.length, what).toBeGreaterThan(10);
  for (let i = 0; i + 1 < rows.length; i++) {
    const [row, before] = [rows[i], rows[i + 1]];
    if (!row || !before) continue;
    const expected =
      row.transactionType === "DEBIT"
        ? sub(before.balanceAfter, row.amount)
        : sub(before.balanceAfter, sub("0", row.amount));
    expect(row.balanceAfter, `${what}: row ${i}`).toBe(toMoneyString(expected));
    expect(row.bookedAt >= before.bookedAt, `${what}: bookedAt of row ${i}`).toBe(true);
  }
  // Not vacuous: along the list the call times go the other way at least once.
  expect(
    rows.some((row, i) => i + 1 < rows.length && row.createdAt < (rows[i + 1]?.createdAt ?? "")),
    `${what}: call times out of booking order`,
  ).toBe(true);
}

describe("transaction lists in booking order", () => {
  it("read as a running balance in the API, the dashboard and the CSV, whatever the call times", async () => {
    const m = await createTestMandate({ balance: "10" });
    const api = apiClient(app.baseUrl, await createTestApiKey(m.mandateId));
    const start = Date.now() - HOUR;
    // Each call happened a minute before the previous one booked; single and batch bookings mixed.
    let step = 0;
    const at = () => new Date(start - ++step * 60_000).toISOString();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 3; i++) {
        const res = await api.post<UsageResponse>("/api/v1/billing/usage", {
          ...sampleUsageEvent(m.mandateId, { amount: `0.${round}${i}1`, userId: i % 2 ? m.memberId : null }),
          occurredAt: at(),
        });
        expect(res.status).toBe(201);
      }
      // One statement books the whole batch: balance_after and booking_sequence must agree within it.
      const events = Array.from({ length: 12 }, (_, i) => ({
        ...sampleUsageEvent(m.mandateId, { amount: `0.0${(i * 7) % 10}5`, userId: i % 3 ? m.memberId : null }),
        occurredAt: at(),
      }));
      const batch = await api.post<UsageBatchResponse>("/api/v1/billing/usage/batch", { events });
      expect(batch.body).toMatchObject({ booked: 12, rejected: 0 });
    }

    // The machine API, page by page (small pages: the cursor carries the booking order).
    const listed: TransactionItem[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `limit=4&cursor=${encodeURIComponent(cursor)}` : "limit=4";
      const res: { status: number; body: TransactionPage } = await api.get<TransactionPage>(
        `/api/v1/mandates/${m.mandateId}/transactions?${query}`,
      );
      expect(res.status).toBe(200);
      listed.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(listed).toHaveLength(1 + 3 * 15);
    expect(listed[listed.length - 1]?.transactionType).toBe("CREDIT");
    expectRunningBalance(listed, "API");

    // The dashboard's query, for an owner (the pool) and a member (their audit account).
    const owner: DashboardViewer = { mandateId: m.mandateId, userId: m.ownerId, role: "OWNER" };
    const member: DashboardViewer = { mandateId: m.mandateId, userId: m.memberId, role: "MEMBER" };
    const ownerRows = (await listTransactionViews(owner, {}, 500)).items;
    expect(ownerRows.map((r) => r.id)).toEqual(listed.map((r) => r.id));
    expectRunningBalance(ownerRows, "dashboard, pool");
    expectRunningBalance((await listTransactionViews(member, {}, 500)).items, "dashboard, member");

    // The CSV export, in small batches.
    const csv = await new Response(streamTransactionsCsv(toListOptions(owner, {}), csvFormatFor("en"), 5)).text();
    const [header = "", ...records] = csv
      .replace(/^\uFEFF/, "")
      .trimEnd()
      .split("\r\n");
    expect(header.startsWith("Booked at,Call time,Type,Amount (CHF),Currency,Balance after (CHF),")).toBe(true);
    // The English file shows values as the UI does: "Debit", grouped amounts (quoted), Zurich times
    // year first with their offset (which sort as text within one offset).
    const csvRows = records.map((line): Row => {
      const fields = line.match(/("[^"]*"|[^,]*)(,|$)/g)?.map((f) => f.replace(/,$/, "").replace(/^"|"$/g, "")) ?? [];
      const [bookedAt = "", createdAt = "", type = "", amount = "", , balanceAfter = ""] = fields;
      const money = (text: string) => toMoneyString(text.replace(/,/g, ""));
      const transactionType = type === "Debit" ? "DEBIT" : type;
      return { bookedAt, createdAt, transactionType, amount: money(amount), balanceAfter: money(balanceAfter) };
    });
    expect(csvRows).toHaveLength(listed.length);
    expectRunningBalance(csvRows, "CSV");
  });
});

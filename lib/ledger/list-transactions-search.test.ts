import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "@/lib/db/generated/client";
import { createTestMandate, type TestMandate } from "@/testing/test-factories";
import { ownerPrisma } from "@/testing/owner-connection";
import { bookUsage, bookUsageBatch } from "./book-usage";
import { credit } from "./post-transaction";
import {
  containsPattern,
  countTransactions,
  filterSql,
  listTransactionPage,
  listTransactions,
  type ListTransactionsOptions,
  type TransactionItem,
} from "./list-transactions";

/**
 * The transactions page's search: part of the model name, or of the free-text description of a row
 * that is not AI usage, any case, with `%` and `_` meaning themselves; and the page before a page
 * (the dashboard's "previous").
 */
const MODELS = ["gpt-4o", "GPT-4o-mini", "claude-sonnet-4", "gemini_pro", "gemini-pro", "o3"];
/** Free text on non-usage rows: an admin's bookings. */
const NOTES = ["Batch run 100% done", "Batch run 100 done", "Nightly Report", "path C:\\temp\\x"];

let m: TestMandate;
let other: TestMandate;

beforeAll(async () => {
  [m, other] = await Promise.all([createTestMandate({ balance: "100" }), createTestMandate({ balance: "100" })]);
  for (const [i, model] of MODELS.entries()) {
    await bookUsage({
      mandateId: m.mandateId,
      userId: null,
      amount: "0.010000",
      idempotencyKey: `search-${i}`,
      provider: "openai",
      model,
    });
  }
  for (const [i, note] of NOTES.entries()) {
    await credit({
      accountId: m.poolAccountId,
      amount: "1.00",
      description: note,
      idempotencyKey: `note-${i}`,
      referenceType: "ADMIN",
    });
  }
  // A usage row's generated description is not searched: only its model is.
  await bookUsage({
    mandateId: m.mandateId,
    userId: null,
    amount: "0.010000",
    idempotencyKey: "search-described",
    provider: "openai",
    model: "mistral-small",
    description: "Quarterly digest",
  });
  // Another mandate's matching row must never appear.
  await bookUsage({
    mandateId: other.mandateId,
    userId: null,
    amount: "0.010000",
    idempotencyKey: randomUUID(),
    provider: "openai",
    model: "gpt-4o",
  });
});

async function search(text: string): Promise<TransactionItem[]> {
  const filter = { mandateId: m.mandateId, search: text };
  const { items } = await listTransactions({ ...filter, limit: 100 });
  expect(await countTransactions(filter)).toBe(items.length);
  return items;
}

const models = (items: TransactionItem[]) => items.map((item) => item.aicoreModel).sort();
const descriptions = (items: TransactionItem[]) => items.map((item) => item.description).sort();

describe("transaction search", () => {
  it("finds part of a model name in any case", async () => {
    expect(models(await search("4O"))).toEqual(["GPT-4o-mini", "gpt-4o"]);
    expect(models(await search("sonn"))).toEqual(["claude-sonnet-4"]);
    expect(models(await search("gpt-4o-M"))).toEqual(["GPT-4o-mini"]);
  });

  it("finds part of a non-usage row's description, which has no model", async () => {
    const found = await search("nightly rep");
    expect(descriptions(found)).toEqual(["Nightly Report"]);
    expect(found[0]?.aicoreModel).toBeNull();
  });

  it("does not search the generated description of AI usage", async () => {
    expect(await search("quarterly")).toHaveLength(0);
    expect(models(await search("mistral-SM"))).toEqual(["mistral-small"]);
  });

  it("takes % and _ literally, not as wildcards", async () => {
    expect(descriptions(await search("100%"))).toEqual(["Batch run 100% done"]);
    expect(models(await search("gemini_"))).toEqual(["gemini_pro"]);
    expect(await search("%")).toHaveLength(1);
    expect(await search("_")).toHaveLength(1);
    expect(descriptions(await search("c:\\temp\\"))).toEqual(["path C:\\temp\\x"]);
  });

  it("stays in the mandate's account", async () => {
    const found = await search("gpt");
    expect(found).toHaveLength(2);
    expect(found.every((item) => item.mandateId === m.mandateId)).toBe(true);
  });

  it("escapes only the pattern's special characters", () => {
    expect(containsPattern("a%b_c\\d")).toBe("%a\\%b\\_c\\\\d%");
    expect(containsPattern("gpt-4o")).toBe("%gpt-4o%");
  });
});

describe("paging backwards", () => {
  it("returns the page before a page, in list order, with cursors both ways", async () => {
    const base: ListTransactionsOptions = { mandateId: m.mandateId, limit: 3 };
    const all = (await listTransactions({ ...base, limit: 100 })).items.map((item) => item.id);
    const first = await listTransactionPage(base);
    expect(first.prevCursor).toBeNull();
    const second = await listTransactionPage({ ...base, cursor: first.nextCursor });
    const third = await listTransactionPage({ ...base, cursor: second.nextCursor });
    expect(third.items.map((item) => item.id)).toEqual(all.slice(6, 9));

    const back = await listTransactionPage({ ...base, before: third.prevCursor });
    expect(back.items.map((item) => item.id)).toEqual(all.slice(3, 6));
    expect(back.nextCursor).toBe(second.nextCursor);
    const start = await listTransactionPage({ ...base, before: back.prevCursor });
    expect(start.items.map((item) => item.id)).toEqual(all.slice(0, 3));
    expect(start.prevCursor).toBeNull();
  });

  it("works in amount order too", async () => {
    const base: ListTransactionsOptions = { mandateId: m.mandateId, limit: 4, sort: "amount", direction: "asc" };
    const all = (await listTransactions({ ...base, limit: 100 })).items.map((item) => item.id);
    const first = await listTransactionPage(base);
    const second = await listTransactionPage({ ...base, cursor: first.nextCursor });
    const back = await listTransactionPage({ ...base, before: second.prevCursor });
    expect(back.items.map((item) => item.id)).toEqual(all.slice(0, 4));
    expect(back.prevCursor).toBeNull();
  });
});

/** A node of EXPLAIN (FORMAT JSON), as far as this test reads it. */
interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  "Index Cond"?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

describe("the search's index", () => {
  /**
   * A plan is the planner's choice and depends on the table: on a small account a walk of its
   * rows is cheapest. So this account gets a few thousand rows of a handful of models and one rare
   * one, and the table fresh statistics, as a large mandate's would be; a search for the rare
   * model must then be answered by the model index (models matched, rows by equality) and the
   * trigram index on non-usage descriptions together. It also keeps filterSql's conditions and the
   * indexes' expressions and predicates the same: otherwise the indexes could not be used.
   */
  const ROWS = 4_000;
  let bulk: TestMandate;

  beforeAll(async () => {
    bulk = await createTestMandate({ balance: "100" });
    const common = ["gpt-4o", "gpt-4o-mini", "mistral-large", "gemini-2.5-flash"];
    for (let batch = 0; batch < ROWS / 1_000; batch++) {
      const outcomes = await bookUsageBatch(
        Array.from({ length: 1_000 }, (_, i) => ({
          mandateId: bulk.mandateId,
          userId: null,
          amount: "0.000001",
          idempotencyKey: `bulk-${batch}-${i}`,
          provider: "openai",
          model: batch === 2 && i === 500 ? "claude-sonnet-4" : (common[i % common.length] ?? "gpt-4o"),
        })),
      );
      expect(outcomes.every((outcome) => outcome.status === "booked")).toBe(true);
    }
    // As VACUUM would: new rows wait in GIN's pending list until merged into the index.
    await ownerPrisma.$executeRawUnsafe("SELECT gin_clean_pending_list('billing_transaction_description_search_idx')");
    await ownerPrisma.$executeRawUnsafe("ANALYZE billing_transaction");
  }, 60_000);

  it("answers the list's count from the model index and the description trigram index", async () => {
    const [pool] = await ownerPrisma.$queryRaw<{ id: string }[]>`
      SELECT id::text AS id FROM billing_account WHERE mandate_id = ${bulk.mandateId}::uuid AND user_id IS NULL`;
    const filter = { mandateId: bulk.mandateId, search: "sonnet" };
    const where = filterSql(pool?.id ?? "", filter);
    const plan = await ownerPrisma.$transaction(async (tx) => {
      // The test database's table is small enough to read whole; a real one is not.
      await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
      const rows = await tx.$queryRaw<{ "QUERY PLAN": [{ Plan: PlanNode }] }[]>`
        EXPLAIN (FORMAT JSON) SELECT count(*) FROM billing_transaction t WHERE ${Prisma.join(where, " AND ")}`;
      return rows[0]?.["QUERY PLAN"][0].Plan;
    });
    if (!plan) throw new Error("no plan");
    const scan = (name: string) => nodes(plan).filter((node) => node["Index Name"] === name);
    const byModel = scan("billing_transaction_model_idx");
    // The account's models read from the index, and the rows of the models that matched.
    expect(
      byModel.some((node) => node["Node Type"] === "Index Only Scan"),
      JSON.stringify(plan),
    ).toBe(true);
    expect(
      byModel.some((node) => node["Index Cond"]?.includes("= ANY")),
      JSON.stringify(plan),
    ).toBe(true);
    const byDescription = scan("billing_transaction_description_search_idx");
    expect(byDescription, JSON.stringify(plan)).toHaveLength(1);
    expect(byDescription[0]?.["Index Cond"]).toContain("account_id");
    expect(byDescription[0]?.["Index Cond"]).toContain("~~*");
    expect(await countTransactions(filter)).toBe(1);
  });
});

import { Prisma } from "@/lib/db/generated/client";
import { prisma } from "@/lib/db/client";

/** A node of `EXPLAIN (ANALYZE, FORMAT JSON)`, as far as tests read it. */
export interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  /** Of an index scan, or of a bitmap index scan. */
  "Index Cond"?: string;
  "Actual Rows"?: number;
  "Rows Removed by Filter"?: number;
  Plans?: PlanNode[];
}

/**
 * Runs the statement under EXPLAIN ANALYZE and returns the scan nodes of its plan, for tests that
 * pin which index a hot or unbounded query reads. `indexOnly` turns sequential scans off: a test
 * database is small enough for them to look cheap, which production tables are not.
 */
export async function scansOf(statement: Prisma.Sql, opts: { indexOnly?: boolean } = {}): Promise<PlanNode[]> {
  const plan = await prisma.$transaction(async (tx) => {
    if (opts.indexOnly) await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
    const [row] = await tx.$queryRaw<{ "QUERY PLAN": [{ Plan: PlanNode }] }[]>(
      Prisma.sql`EXPLAIN (ANALYZE, FORMAT JSON) ${statement}`,
    );
    if (!row) throw new Error("EXPLAIN returned no plan");
    return row["QUERY PLAN"][0].Plan;
  });
  return scanNodes(plan);
}

function scanNodes(node: PlanNode): PlanNode[] {
  const own = node["Node Type"].includes("Scan") ? [node] : [];
  return [...own, ...(node.Plans ?? []).flatMap(scanNodes)];
}

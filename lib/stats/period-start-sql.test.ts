import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { plannedOutput } from "@/testing/query-plan";

describe("the business-period SQL functions (Europe/Zurich)", () => {
  it("are inlined by the planner, so a batch pays no function call per debit", async () => {
    // A VALUES row keeps the argument from being folded into a constant.
    const period = await plannedOutput(
      Prisma.sql`SELECT usage_period_start(v.at, 'DAY') FROM (VALUES (now() - interval '1 day')) v(at)`,
    );
    expect(period).not.toMatch(/usage_period_start/);
    expect(period).toMatch(/date_trunc/);
    const day = await plannedOutput(
      Prisma.sql`SELECT usage_day_period_start(v.day, 'MONTH') FROM (VALUES (current_date - 1)) v(day)`,
    );
    expect(day).not.toMatch(/usage_day_period_start/);
  });

  it("start each period at Zurich midnight and return NULL for NULL input", async () => {
    const [row] = await prisma.$queryRaw<Record<string, string | null>[]>`
      SELECT usage_period_start('2026-03-31 22:30:00+00', 'DAY')::text AS day,
             usage_period_start('2026-03-31 22:30:00+00', 'MONTH')::text AS month,
             usage_period_start('2026-12-31 23:30:00+00', 'YEAR')::text AS year,
             usage_day_period_start('2026-03-15', 'MONTH')::text AS day_month,
             usage_period_start(NULL, 'DAY')::text AS null_at,
             usage_period_start('2026-03-31 22:30:00+00', NULL)::text AS null_period,
             usage_day_period_start(NULL, 'YEAR')::text AS null_day`;
    expect(row).toEqual({
      day: "2026-04-01", // 00:30 on 1 April in Zurich (summer time)
      month: "2026-04-01",
      year: "2027-01-01",
      day_month: "2026-03-01",
      null_at: null,
      null_period: null,
      null_day: null,
    });
  });
});

import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";

describe("the business-period SQL functions (Europe/Zurich)", () => {
  it("start each period at Zurich midnight and return NULL for NULL input", async () => {
    const [row] = await prisma.$queryRaw<Record<string, string | null>[]>`
      SELECT usage_period_start('2026-03-31 22:30:00+00', 'DAY')::text AS day,
             usage_period_start('2026-03-31 21:59:59+00', 'DAY')::text AS day_before,
             usage_period_start('2026-03-31 22:30:00+00', 'MONTH')::text AS month,
             usage_period_start('2026-12-31 23:30:00+00', 'YEAR')::text AS year,
             usage_day_period_start('2026-03-15', 'MONTH')::text AS day_month,
             usage_period_start(NULL, 'DAY')::text AS null_at,
             usage_period_start('2026-03-31 22:30:00+00', NULL)::text AS null_period,
             usage_day_period_start(NULL, 'YEAR')::text AS null_day`;
    expect(row).toEqual({
      day: "2026-04-01", // 00:30 on 1 April in Zurich (summer time)
      day_before: "2026-03-31", // 23:59:59 on 31 March in Zurich
      month: "2026-04-01",
      year: "2027-01-01",
      day_month: "2026-03-01",
      null_at: null,
      null_period: null,
      null_day: null,
    });
  });
});

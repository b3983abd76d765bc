import { Prisma } from "@/lib/db/generated/client";

/**
 * The instant the current month began on the Swiss business calendar, as SQL: the recharge
 * month (rechargesThisMonth, monthResetAt) follows the same calendar as the statistics.
 */
export const ZURICH_MONTH_START_SQL = Prisma.raw(
  "timezone('Europe/Zurich', date_trunc('month', timezone('Europe/Zurich', now())))",
);

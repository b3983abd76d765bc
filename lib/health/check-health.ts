import { prisma } from "@/lib/db/client";

export interface Health {
  status: "ok" | "degraded";
  database: "ok" | "unreachable";
  migrations: number;
}

/** Liveness for load balancers and the start script: can we reach the database, how migrated is it. */
export async function checkHealth(): Promise<Health> {
  try {
    const [row] = await prisma.$queryRaw<{ applied: bigint }[]>`
      SELECT count(*) AS applied FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
    return { status: "ok", database: "ok", migrations: Number(row?.applied ?? 0) };
  } catch {
    return { status: "degraded", database: "unreachable", migrations: 0 };
  }
}

import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";
import { pgPool } from "./pg-pool";

/**
 * One Prisma client per process (Next's dev server re-imports modules, hence globalThis).
 * DATABASE_URL is set by the launcher (scripts/start.ts) or the test setup, which start the
 * embedded server when the user gave none. Prisma runs on the process's one pg pool
 * (lib/db/pg-pool.ts); $disconnect leaves that pool open, as its other users still need it.
 */
const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

function createClient(): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg(pgPool) });
}

export const prisma: PrismaClient = globalForPrisma.prisma ?? createClient();
globalForPrisma.prisma = prisma;

import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/lib/db/generated/client";

/**
 * The test database as its owner, for what the app's role (billing_app) may not do and a test
 * must: plant a hold or a statistics row by hand, try the immutability triggers that guard even
 * an owner, create a sibling database. Product code never has this connection.
 */
const globalForOwner = globalThis as unknown as { ownerPrisma?: PrismaClient };

export function ownerDatabaseUrl(): string {
  const url = process.env.TEST_OWNER_DATABASE_URL;
  if (!url) throw new Error("TEST_OWNER_DATABASE_URL is unset; testing/test-global-setup.ts sets it");
  return url;
}

export const ownerPrisma: PrismaClient = (globalForOwner.ownerPrisma ??= new PrismaClient({
  adapter: new PrismaPg(new pg.Pool({ connectionString: ownerDatabaseUrl(), max: 4 })),
}));

import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { PrismaClient } from "@/lib/db/generated/client";
import { createTestMandate } from "@/testing/test-factories";
import { errorResponse, RETRY_AFTER_SECONDS } from "./error-response";

/**
 * Database errors the caller did not cause by a bug of ours: real errors from the test database
 * (through Prisma and through node-postgres, as both paths exist), mapped by errorResponse.
 */

async function thrown(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (err) {
    return err;
  }
  throw new Error("expected the database to refuse");
}

async function answer(err: unknown) {
  const res = errorResponse(err);
  return { status: res.status, retryAfter: res.headers.get("retry-after"), body: (await res.json()) as unknown };
}

const UNAVAILABLE = {
  status: 503,
  retryAfter: String(RETRY_AFTER_SECONDS),
  body: { error: { code: "SERVICE_UNAVAILABLE", message: expect.any(String) } },
};
const INVALID = {
  status: 400,
  retryAfter: null,
  body: { error: { code: "VALIDATION_FAILED", message: expect.any(String) } },
};

/** A TCP port nothing listens on: bound, then closed again. */
async function closedPort(): Promise<number> {
  const { createServer } = await import("node:net");
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("errorResponse: input PostgreSQL refuses is the caller's 400", () => {
  it.each([
    ["NUL in text (22021)", () => prisma.$queryRaw`SELECT ${"a\u0000b"}::text`],
    ["not a number (22P02)", () => prisma.$queryRaw`SELECT ${"abc"}::numeric`],
    ["numeric out of range (22003)", () => prisma.$queryRaw`SELECT ${"1e40"}::numeric(30, 6)`],
    ["timestamp out of range (22008)", () => prisma.$queryRaw`SELECT ${"294277-01-01 00:00:00+00"}::timestamptz`],
    ["invalid datetime (22007)", () => prisma.$queryRaw`SELECT ${"2026-11-15 25:99"}::timestamptz`],
  ])("through Prisma: %s", async (_name, run) => {
    expect(await answer(await thrown(run))).toEqual(INVALID);
  });

  it("through node-postgres: 22P02", async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      expect(await answer(await thrown(() => client.query("SELECT $1::uuid", ["not-a-uuid"])))).toEqual(INVALID);
    } finally {
      await client.end();
    }
  });
});

describe("errorResponse: a database that is away or gave up is 503 with Retry-After", () => {
  let holder: pg.Client;
  beforeAll(async () => {
    holder = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
  });
  afterAll(async () => holder.end());

  it("connection refused, through Prisma and through node-postgres", async () => {
    const url = new URL(process.env.DATABASE_URL!);
    url.port = String(await closedPort());
    const pool = new pg.Pool({ connectionString: url.toString(), connectionTimeoutMillis: 2000 });
    const client = new PrismaClient({ adapter: new PrismaPg(pool) });
    try {
      expect(await answer(await thrown(() => client.$queryRaw`SELECT 1`))).toEqual(UNAVAILABLE);
      expect(await answer(await thrown(() => pool.query("SELECT 1")))).toEqual(UNAVAILABLE);
    } finally {
      await client.$disconnect();
      await pool.end();
    }
  });

  /**
   * What a statement under `setting` (SET LOCAL) throws while another session holds the pool row it
   * waits for: it cannot finish before the holder lets go, so the timeout fires whatever the
   * machine's speed, with no sleep that merely outlasts it.
   */
  async function errorWhileRowLocked(setting: string): Promise<unknown> {
    const { poolAccountId } = await createTestMandate({ balance: "1" });
    await holder.query("BEGIN");
    await holder.query("SELECT id FROM billing_account WHERE id = $1 FOR UPDATE", [poolAccountId]);
    try {
      return await thrown(() =>
        prisma.$transaction([
          prisma.$executeRawUnsafe(`SET LOCAL ${setting}`),
          prisma.$queryRaw`SELECT id FROM billing_account WHERE id = ${poolAccountId}::uuid FOR UPDATE`,
        ]),
      );
    } finally {
      await holder.query("ROLLBACK");
    }
  }

  it("lock timeout (55P03) while another session holds the pool account's row lock", async () => {
    expect(await answer(await errorWhileRowLocked("lock_timeout = '50ms'"))).toEqual(UNAVAILABLE);
  });

  it("statement timeout (57014) while another session holds the row it waits for", async () => {
    const err = await errorWhileRowLocked("statement_timeout = '50ms'");
    expect(err).toMatchObject({ meta: { driverAdapterError: { cause: { originalCode: "57014" } } } });
    expect(await answer(err)).toEqual(UNAVAILABLE);
  });

  it("connection terminated by the server (57P01 admin shutdown)", async () => {
    const victim = new pg.Client({ connectionString: process.env.DATABASE_URL });
    victim.on("error", () => undefined); // the termination is also emitted; the query's rejection is the point
    await victim.connect();
    const { rows } = await victim.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    await holder.query("SELECT pg_terminate_backend($1)", [rows[0]!.pid]);
    const err = await thrown(() => victim.query("SELECT 1"));
    await victim.end().catch(() => undefined);
    expect(await answer(err)).toEqual(UNAVAILABLE);
  });

  it("an error of our own stays a 500 that reveals nothing", async () => {
    const err = await thrown(() => prisma.$queryRaw`SELECT * FROM no_such_table_here`);
    expect(await answer(err)).toEqual({
      status: 500,
      retryAfter: null,
      body: { error: { code: "INTERNAL_ERROR", message: "Internal error" } },
    });
  });
});

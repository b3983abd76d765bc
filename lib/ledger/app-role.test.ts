import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { databaseRoleOption } from "@/lib/db/database-role";
import { prisma } from "@/lib/db/client";
import { ledgerGuarded } from "@/scripts/db/app-role";
import { ownerDatabaseUrl, ownerPrisma } from "@/testing/owner-connection";
import { createTestMandate, type TestMandate } from "@/testing/test-factories";
import { reconcileAccount } from "./accounts";
import { debit } from "./post-transaction";
import { findSqlState } from "./ledger-sql";

/**
 * The app connects as a member of billing_app (prisma/migrations/*_app_role), and so does this
 * whole suite: every booking test elsewhere proves its path works with the app's privileges. Here:
 * the app's role cannot reach around the ledger functions, whatever SQL it sends.
 */

const INSUFFICIENT_PRIVILEGE = "42501";

async function sqlStateOf(statement: Promise<unknown>): Promise<string | undefined> {
  try {
    await statement;
  } catch (err) {
    return findSqlState(err);
  }
  throw new Error("the database accepted a statement the app's role must not run");
}

async function bookedMandate(): Promise<TestMandate> {
  const m = await createTestMandate({ balance: "10" });
  await debit({ accountId: m.poolAccountId, amount: "1.5", idempotencyKey: randomUUID(), description: "usage" });
  return m;
}

async function poolState(m: TestMandate) {
  const account = await ownerPrisma.billingAccount.findUniqueOrThrow({ where: { id: m.poolAccountId } });
  const rows = await ownerPrisma.billingTransaction.count({ where: { accountId: m.poolAccountId } });
  return { balance: account.balance.toFixed(6), reserved: account.reservedAmount.toFixed(6), rows };
}

describe("the app's database role", () => {
  it("is what the suite runs as: no owner, no superuser, no direct transaction insert", async () => {
    const [me] = await prisma.$queryRaw<{ user: string; superuser: boolean; member: boolean }[]>`
      SELECT current_user AS user,
             (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
             pg_has_role(current_user, 'billing_app', 'USAGE') AS member`;
    expect(me).toEqual({ user: expect.not.stringMatching(/^postgres$/), superuser: false, member: true });
    expect(await ledgerGuarded(process.env.DATABASE_URL!)).toBe(true);
    expect(await ledgerGuarded(ownerDatabaseUrl())).toBe(false);
  });

  it("may not set a balance or a reservation total, and the account stays as booked", async () => {
    const m = await bookedMandate();
    const before = await poolState(m);
    for (const sql of [
      `UPDATE billing_account SET balance = 1000 WHERE id = $1::uuid`,
      `UPDATE billing_account SET reserved_amount = 0, balance = balance WHERE id = $1::uuid`,
      `UPDATE billing_account SET open_holds_expire_after = now() WHERE id = $1::uuid`,
    ]) {
      expect(await sqlStateOf(prisma.$executeRawUnsafe(sql, m.poolAccountId)), sql).toBe(INSUFFICIENT_PRIVILEGE);
    }
    expect(
      await sqlStateOf(prisma.billingAccount.update({ where: { id: m.poolAccountId }, data: { balance: "1000" } })),
    ).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await poolState(m)).toEqual(before);
    const reconciled = await reconcileAccount(m.poolAccountId);
    expect(reconciled.sum).toBe(reconciled.balance);
  });

  it("may not insert, change, delete or truncate transactions", async () => {
    const m = await bookedMandate();
    const before = await poolState(m);
    const insert = prisma.$executeRaw`
      INSERT INTO billing_transaction (account_id, mandate_id, transaction_type, amount, balance_after, description,
                                       idempotency_key, request_hash)
      VALUES (${m.poolAccountId}::uuid, ${m.mandateId}::uuid, 'CREDIT', 100, 108.5, 'forged', ${randomUUID()}, 'x')`;
    expect(await sqlStateOf(insert)).toBe(INSUFFICIENT_PRIVILEGE);
    for (const sql of [
      `UPDATE billing_transaction SET amount = 0.000001 WHERE account_id = $1::uuid`,
      `DELETE FROM billing_transaction WHERE account_id = $1::uuid`,
    ]) {
      expect(await sqlStateOf(prisma.$executeRawUnsafe(sql, m.poolAccountId)), sql).toBe(INSUFFICIENT_PRIVILEGE);
    }
    expect(await sqlStateOf(prisma.$executeRawUnsafe("TRUNCATE billing_transaction"))).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await poolState(m)).toEqual(before);
  });

  it("may not alter a table or switch its guards off", async () => {
    for (const sql of [
      "ALTER TABLE billing_transaction DISABLE TRIGGER billing_transaction_immutable_row",
      "ALTER TABLE billing_transaction DISABLE TRIGGER ALL",
      "ALTER TABLE billing_account DROP CONSTRAINT billing_account_reserved_amount_not_negative",
      "DROP TRIGGER billing_account_opens_empty ON billing_account",
      "CREATE OR REPLACE FUNCTION ledger_uuid_v7() RETURNS uuid LANGUAGE sql AS 'SELECT gen_random_uuid()'",
    ]) {
      // 42501 for a table, 42501 or "must be owner" (42501 too) for a function.
      expect(await sqlStateOf(prisma.$executeRawUnsafe(sql)), sql).toBe(INSUFFICIENT_PRIVILEGE);
    }
  });

  it("may not write holds, statistics or the roll-up queue around the ledger functions", async () => {
    const m = await bookedMandate();
    const before = await poolState(m);
    const statements = [
      prisma.$executeRaw`INSERT INTO billing_reservation (mandate_id, account_id, amount, expires_at)
                         VALUES (${m.mandateId}::uuid, ${m.poolAccountId}::uuid, 5, now() + interval '1 hour')`,
      prisma.$executeRaw`INSERT INTO usage_statistics (account_id, period_type, period_start)
                         VALUES (${m.poolAccountId}::uuid, 'DAY', current_date)`,
      prisma.$executeRaw`DELETE FROM usage_rollup_queue`,
    ];
    for (const statement of statements) expect(await sqlStateOf(statement)).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await poolState(m)).toEqual(before);
  });

  it("opens an account empty only, whoever inserts it", async () => {
    const m = await createTestMandate();
    const user = await prisma.user.create({ data: { email: `${randomUUID()}@test.invalid`, name: "x" } });
    for (const db of [prisma, ownerPrisma]) {
      const opened = db.billingAccount.create({ data: { mandateId: m.mandateId, userId: user.id, balance: "1000" } });
      expect(await sqlStateOf(opened)).toBe("BL405");
    }
    expect(await ownerPrisma.billingAccount.count({ where: { mandateId: m.mandateId, userId: user.id } })).toBe(0);
  });

  it("runs every ledger function as its owner with a pinned search_path, callable by the app only", async () => {
    const functions = await ownerPrisma.$queryRaw<
      { name: string; definer: boolean; config: string[] | null; publicCall: boolean }[]
    >`
      SELECT p.proname AS name, p.prosecdef AS definer, p.proconfig AS config,
             has_function_privilege('public', p.oid, 'EXECUTE') AS "publicCall"
        FROM pg_proc p
       WHERE p.pronamespace = current_schema()::regnamespace
         AND p.prorettype <> 'trigger'::regtype
         AND (p.proname LIKE 'ledger\\_post%' OR p.proname LIKE 'billing\\_check\\_%'
              OR p.proname LIKE 'billing\\_reservation\\_%' OR p.proname = 'usage_rollup')
       ORDER BY 1`;
    expect(functions.map((f) => f.name)).toEqual([
      "billing_check_reserve",
      "billing_reservation_expire_account",
      "billing_reservation_release",
      "ledger_post",
      "ledger_post_usage",
      "ledger_post_usage_batch",
      "usage_rollup",
    ]);
    for (const f of functions) {
      expect(f, f.name).toMatchObject({ definer: true, publicCall: false });
      expect(f.config, f.name).toContainEqual(expect.stringMatching(/^search_path=\S+, pg_temp$/));
    }
  });
});

describe("DATABASE_ROLE: one owner URL, the app switching to billing_app as it connects", () => {
  const client = new pg.Client({ connectionString: ownerDatabaseUrl(), options: databaseRoleOption("billing_app") });
  afterAll(() => client.end());

  it("has the app's privileges only", async () => {
    await client.connect();
    const { rows } = await client.query<{ role: string; mayInsert: boolean }>(
      `SELECT current_user AS role, has_table_privilege('billing_transaction', 'INSERT') AS "mayInsert"`,
    );
    expect(rows[0]).toEqual({ role: "billing_app", mayInsert: false });
    const refused = await client.query("UPDATE billing_account SET balance = balance + 1").catch((err: unknown) => err);
    expect(findSqlState(refused)).toBe(INSUFFICIENT_PRIVILEGE);
  });

  it("refuses a value that is no role name before connecting", () => {
    expect(() => databaseRoleOption("billing_app -c search_path=evil")).toThrow(/no role name/);
    expect(databaseRoleOption("")).toBeUndefined();
  });
});

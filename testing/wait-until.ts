import { prisma } from "@/lib/db/client";

/**
 * Polls `condition` until it holds, for tests that wait on something another process or the
 * clock brings about (a server's background sweep, a hold running out). Fails after `timeoutMs`
 * naming what it waited for, so a slow machine makes the test slower, never wrong.
 */
export async function waitUntil(
  what: string,
  condition: () => Promise<boolean>,
  opts: { timeoutMs?: number; pollMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, opts.pollMs ?? 50));
  }
}

/** Until the database's clock (the one holds expire by) has passed these reservations' expires_at. */
export async function waitForExpiry(reservationIds: string[]): Promise<void> {
  await waitUntil(`reservations ${reservationIds.join(", ")} have expired`, async () => {
    const [row] = await prisma.$queryRaw<{ expired: boolean }[]>`
      SELECT bool_and(expires_at <= now()) AS expired FROM billing_reservation
       WHERE id = ANY(${reservationIds}::uuid[])`;
    return row?.expired === true;
  });
}

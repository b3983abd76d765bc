// The app's reservation expiry sweep (expireReservations, once a second) without the app, for
// diagnostics that call billing_check_reserve straight through pgbench (BENCHMARKS.md,
// "Diagnostics"). Without a sweep the expired holds stay OPEN, and the check's read of expired,
// unmarked holds grows through the run, which the running server never lets happen.
//
//   DATABASE_URL=postgresql://postgres:postgres@127.0.0.1:54329/billing_bench \
//     npx tsx scripts/bench/reserve-sweep.ts 25
import { expireReservations, EXPIRY_INTERVAL_MS } from "@/lib/billing-check/reservation-expiry";

async function main(): Promise<void> {
  if (!process.env.DATABASE_URL) throw new Error("set DATABASE_URL to the database to sweep");
  const seconds = Number(process.argv[2] ?? 25);
  const until = Date.now() + seconds * 1_000;
  let marked = 0;
  while (Date.now() < until) {
    marked += await expireReservations();
    await new Promise((resolve) => setTimeout(resolve, EXPIRY_INTERVAL_MS));
  }
  console.log(`reserve-sweep: marked ${marked} expired holds in ${seconds} s`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);

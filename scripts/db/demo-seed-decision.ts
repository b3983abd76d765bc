/**
 * Whether `npm start` seeds the demo data. The demo people have passwords published in the README
 * (a platform admin among them), so they are created only where that is harmless: on the embedded
 * default database (a developer's machine, the e2e suite), or when someone asks for them
 * explicitly. A deployment's own database (DATABASE_URL) never gets them by default.
 */
export interface DemoSeedDecision {
  seed: boolean;
  /** For the start log: why the demo data is or is not seeded. */
  reason: string;
}

export function decideDemoSeed(env: Readonly<Record<string, string | undefined>>): DemoSeedDecision {
  const asked = env.SEED_DEMO?.trim();
  if (asked === "1") return { seed: true, reason: "demo data: seeding (SEED_DEMO=1)" };
  if (asked === "0") return { seed: false, reason: "demo data: skipped (SEED_DEMO=0)" };
  if (env.DATABASE_URL) {
    return {
      seed: false,
      reason:
        "demo data: not seeded, DATABASE_URL is set (demo accounts have published passwords; " +
        "SEED_DEMO=1 or `npm run db:seed` seeds them anyway, `npm run admin:create` creates the first platform admin)",
    };
  }
  return { seed: true, reason: "demo data: seeding the embedded default database (SEED_DEMO=0 skips)" };
}

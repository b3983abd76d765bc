import { describe, expect, it } from "vitest";
import { decideDemoSeed } from "./demo-seed-decision";

const URL = "postgresql://app@db.example.ch:5432/billing";

describe("decideDemoSeed", () => {
  it("seeds the embedded default database", () => {
    expect(decideDemoSeed({}).seed).toBe(true);
  });

  it("never seeds a database named by DATABASE_URL by default, and says why", () => {
    const decision = decideDemoSeed({ DATABASE_URL: URL });
    expect(decision.seed).toBe(false);
    expect(decision.reason).toContain("DATABASE_URL is set");
    expect(decideDemoSeed({ DATABASE_URL: URL, SEED_DEMO: "" }).seed).toBe(false);
    expect(decideDemoSeed({ DATABASE_URL: URL, SEED_DEMO: "true" }).seed).toBe(false);
  });

  it("seeds DATABASE_URL's database only when asked with SEED_DEMO=1", () => {
    expect(decideDemoSeed({ DATABASE_URL: URL, SEED_DEMO: "1" }).seed).toBe(true);
  });

  it("skips the embedded database with SEED_DEMO=0", () => {
    expect(decideDemoSeed({ SEED_DEMO: "0" }).seed).toBe(false);
  });
});

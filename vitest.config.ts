import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: [
      "lib/**/*.test.ts",
      "testing/**/*.test.ts",
      "app/**/*.test.ts",
      "prisma/**/*.test.ts",
      "scripts/**/*.test.ts",
    ],
    globalSetup: ["testing/test-global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The global teardown reconciles the run's ledger (testing/test-global-setup.ts); past this
    // timeout Vitest would exit without its verdict.
    teardownTimeout: 120_000,
    pool: "forks",
  },
});

import { defineConfig, devices } from "@playwright/test";

// End-to-end tests run against the production build (`npm start`) on its own database
// (billing_e2e, seeded with the demo data), in Debian's Chromium: Playwright's own browser
// download is not possible on these machines.
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${port}`;
/** The offline Stripe that `npm start` runs without STRIPE_SECRET_KEY; its own port, beside a dev's 12111. */
export const E2E_STRIPE_PORT = Number(process.env.E2E_STRIPE_PORT ?? 12190);

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  timeout: 30_000,
  fullyParallel: false,
  workers: 1,
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined } }],
  webServer: {
    command: "tsx scripts/start.ts start",
    url: `${baseURL}/api/health`,
    timeout: 300_000,
    reuseExistingServer: false,
    // The e2e suite signs in as the demo people, so it asks for the demo data even on DATABASE_URL.
    env: {
      PORT: String(port),
      APP_DATABASE: process.env.E2E_APP_DATABASE ?? "billing_e2e",
      SEED_DEMO: "1",
      STRIPE_TEST_SERVER_PORT: String(E2E_STRIPE_PORT),
    },
    stdout: "pipe",
  },
});

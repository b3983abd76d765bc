import { startStripeTestServer } from "./server";

/**
 * Runs the offline Stripe on its own: `tsx scripts/stripe-test-server/cli.ts`.
 * STRIPE_TEST_SERVER_PORT or else PORT (default 12111; the former wins because `npm start` uses
 * PORT for the app), HOST (default 127.0.0.1), STRIPE_WEBHOOK_SECRET (default a fixed test
 * secret), STRIPE_WEBHOOK_URL (where to POST events; without it they are only recorded).
 */
const webhookSecret = process.env.STRIPE_WEBHOOK_SECRET ?? "whsec_offline_test_secret";
const webhookUrl = process.env.STRIPE_WEBHOOK_URL;
const server = await startStripeTestServer({
  port: Number.parseInt(process.env.STRIPE_TEST_SERVER_PORT ?? process.env.PORT ?? "12111", 10),
  host: process.env.HOST ?? "127.0.0.1",
  webhookSecret,
  webhook: webhookUrl ? { url: webhookUrl } : undefined,
});
console.log(`Stripe test server on ${server.url}`);
console.log(webhookUrl ? `Webhooks go to ${webhookUrl}` : "No STRIPE_WEBHOOK_URL: events are recorded, not delivered");
console.log(
  `Point the SDK at it: new Stripe("sk_test_...", { host: "127.0.0.1", port: ${server.port}, protocol: "http" })`,
);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}

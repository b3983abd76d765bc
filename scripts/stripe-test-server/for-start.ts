import { startStripeTestServer } from "./server";

/**
 * `npm start` without STRIPE_SECRET_KEY: the offline Stripe on loopback, so a newcomer can top up
 * end to end. The app finds it through STRIPE_API_URL (lib/stripe/stripe-client.ts) and receives
 * its signed webhooks on /api/stripe/webhook. With a key set, nothing starts and Stripe is used.
 */
export async function startOfflineStripeUnlessConfigured(opts: {
  appPort: string;
  log: (line: string) => void;
}): Promise<(() => Promise<void>) | null> {
  if (process.env.STRIPE_SECRET_KEY) {
    opts.log("payments: Stripe (STRIPE_SECRET_KEY is set)");
    return null;
  }
  const webhookSecret = "whsec_offline_test_server";
  const server = await startStripeTestServer({
    port: Number.parseInt(process.env.STRIPE_TEST_SERVER_PORT ?? "12111", 10),
    webhookSecret,
    webhook: { url: `http://127.0.0.1:${opts.appPort}/api/stripe/webhook` },
  });
  process.env.STRIPE_SECRET_KEY = "sk_test_offline";
  process.env.STRIPE_WEBHOOK_SECRET = webhookSecret;
  process.env.STRIPE_API_URL = server.url;
  opts.log(
    `payments: offline Stripe test server on ${server.url} (no STRIPE_SECRET_KEY); pay with 4242 4242 4242 4242`,
  );
  return () => server.close();
}

import Stripe from "stripe";
import { startStripeTestServer, type StripeTestServer } from "@/scripts/stripe-test-server/server";

export interface TestStripe {
  server: StripeTestServer;
  /** Base URL of the test server, e.g. http://127.0.0.1:41234 */
  apiUrl: string;
  port: number;
  webhookSecret: string;
  secretKey: string;
  /** An SDK client pointed at the test server, without network retries so failures show at once. */
  stripe: Stripe;
  close(): Promise<void>;
}

/**
 * Starts the offline Stripe on a free port for one test file. Pass `deliver` to receive the
 * signed webhooks in-process (call the app's route handler and answer its status); redeliveries
 * come after a few milliseconds, so tests await `server.waitForDeliveries()` instead of sleeping.
 */
export async function startTestStripe(
  options: {
    deliver?: (payload: string, headers: Record<string, string>) => Promise<number>;
    redeliveryDelaysMs?: number[];
  } = {},
): Promise<TestStripe> {
  const webhookSecret = "whsec_test_offline_stripe";
  const secretKey = "sk_test_offline_stripe";
  const server = await startStripeTestServer({
    port: 0,
    webhookSecret,
    webhook: options.deliver ? { deliver: options.deliver } : undefined,
    redeliveryDelaysMs: options.redeliveryDelaysMs ?? [5, 10, 20],
  });
  const stripe = new Stripe(secretKey, {
    host: "127.0.0.1",
    port: server.port,
    protocol: "http",
    maxNetworkRetries: 0,
  });
  return {
    server,
    apiUrl: server.url,
    port: server.port,
    webhookSecret,
    secretKey,
    stripe,
    close: () => server.close(),
  };
}

/**
 * The offline Stripe for a test file that runs the app's payments: the app's Stripe settings
 * (STRIPE_* of this process) point at it, and its signed webhooks go to the app's own route
 * handler in-process, so every path a real event takes runs.
 */
export async function startAppStripe(): Promise<TestStripe> {
  // Imported here, not at the top: test files that only need the server do not load the app's route.
  const { POST } = await import("@/app/api/stripe/webhook/route");
  const stripe = await startTestStripe({
    deliver: async (payload, headers) =>
      (await POST(new Request("http://app.test/api/stripe/webhook", { method: "POST", body: payload, headers })))
        .status,
  });
  process.env.STRIPE_SECRET_KEY = stripe.secretKey;
  process.env.STRIPE_API_URL = stripe.apiUrl;
  process.env.STRIPE_WEBHOOK_SECRET = stripe.webhookSecret;
  return stripe;
}

import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createMandate } from "@/lib/mandates/create-mandate";
import { bookUsage } from "@/lib/ledger/book-usage";
import { credit } from "@/lib/ledger/post-transaction";
import type { MandateBalance } from "@/lib/ledger/get-balance";
import { apiClient, createTestApiKey } from "@/testing/api-client";
import { appServerForThisFile } from "@/testing/app-server";

// Access (401, 403, 404, malformed id) for every mandate read route: ../access.http.test.ts.
const app = appServerForThisFile();

describe("GET /api/v1/mandates/{mandateId}/balance", () => {
  it("shows the pool balance as a decimal string and warns once it is below the threshold", async () => {
    const name = `Balance test ${randomUUID().slice(0, 8)}`;
    const { mandateId, poolAccountId } = await createMandate({ name, warningThresholdPercent: "100" });
    await credit({ accountId: poolAccountId, amount: "5.000001", idempotencyKey: randomUUID(), description: "top-up" });
    const api = apiClient(app.baseUrl, await createTestApiKey(mandateId));

    const before = await api.get<MandateBalance>(`/api/v1/mandates/${mandateId}/balance`);
    expect(before.status).toBe(200);
    expect(before.body).toEqual({
      mandateId,
      mandateName: name,
      balance: "5.000001",
      currency: "CHF",
      // 100 % of the 5.000001 CHF credited this month.
      warningThreshold: "5.000001",
      isWarning: false,
    });

    await bookUsage({ mandateId, amount: "0.000002", idempotencyKey: randomUUID(), provider: "openai" });
    const after = await api.get<MandateBalance>(`/api/v1/mandates/${mandateId}/balance`);
    expect(after.body).toMatchObject({ balance: "4.999999", isWarning: true });
  });
});

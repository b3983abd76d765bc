import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { BillingCheckResponse } from "@/lib/api/routes/billing";
import type { ReleaseReservationResponse } from "@/lib/api/routes/reservations";
import { getReservation } from "@/testing/reservations";
import { sampleUsageEvent } from "@/testing/sample-usage-event";
import { type ApiClient, type ApiErrorBody, apiClient, mandateWithApiClient } from "@/testing/api-client";
import { appServerForThisFile } from "@/testing/app-server";

const app = appServerForThisFile();

const releasePath = (reservationId: string) => `/api/v1/billing/reservations/${reservationId}/release`;

async function reserve(api: ApiClient, mandateId: string, estimatedCost: string): Promise<string> {
  const check = await api.post<BillingCheckResponse>("/api/v1/billing/check", {
    mandateId,
    estimatedCost,
    reserve: true,
  });
  if (!check.body.reservationId) throw new Error(`no reservation: ${JSON.stringify(check.body)}`);
  return check.body.reservationId;
}

describe("POST /api/v1/billing/reservations/{reservationId}/release", () => {
  it("gives the money back at once; a retry answers the same with released=false", async () => {
    const { m, api } = await mandateWithApiClient(app.baseUrl, "2");
    const id = await reserve(api, m.mandateId, "1.5");
    const check = { mandateId: m.mandateId, estimatedCost: "1" };
    expect((await api.post<BillingCheckResponse>("/api/v1/billing/check", check)).body.allowed).toBe(false);

    const released = await api.post<ReleaseReservationResponse>(releasePath(id), { mandateId: m.mandateId });
    expect(released).toMatchObject({
      status: 200,
      body: { reservationId: id, mandateId: m.mandateId, amount: "1.500000", status: "RELEASED", released: true },
    });
    expect((await api.post<BillingCheckResponse>("/api/v1/billing/check", check)).body.allowed).toBe(true);

    const retry = await api.post<ReleaseReservationResponse>(releasePath(id), { mandateId: m.mandateId });
    expect(retry).toEqual({ status: 200, body: { ...released.body, released: false } });
  });

  it("409 once a usage debit captured it, and the debit stands", async () => {
    const { m, api } = await mandateWithApiClient(app.baseUrl, "2");
    const id = await reserve(api, m.mandateId, "1");
    const debit = await api.post("/api/v1/billing/usage", sampleUsageEvent(m.mandateId, { reservationId: id }));
    expect(debit.status).toBe(201);
    const refused = await api.post<ApiErrorBody>(releasePath(id), { mandateId: m.mandateId });
    expect(refused).toMatchObject({ status: 409, body: { error: { code: "RESERVATION_ALREADY_SETTLED" } } });
    expect((await getReservation(m.mandateId, id)).status).toBe("CAPTURED");
  });

  it("refuses keys, mandates and input that do not fit, and releases nothing", async () => {
    const { m, api } = await mandateWithApiClient(app.baseUrl, "2");
    const other = await mandateWithApiClient(app.baseUrl, "2");
    const id = await reserve(api, m.mandateId, "1");
    const body = { mandateId: m.mandateId };

    const cases: [string, Promise<{ status: number; body: ApiErrorBody }>, number, string][] = [
      ["no key", apiClient(app.baseUrl, null).post(releasePath(id), body), 401, "UNAUTHENTICATED"],
      ["a key for another mandate", other.api.post(releasePath(id), body), 403, "FORBIDDEN"],
      [
        "its own mandate named for another's hold",
        other.api.post(releasePath(id), { mandateId: other.m.mandateId }),
        404,
        "NOT_FOUND",
      ],
      ["an unknown reservation", api.post(releasePath(randomUUID()), body), 404, "NOT_FOUND"],
      ["a malformed reservation id", api.post(releasePath("r-1"), body), 400, "VALIDATION_FAILED"],
      ["no mandateId", api.post(releasePath(id), {}), 400, "VALIDATION_FAILED"],
      [
        "not JSON",
        api.post(releasePath(id), "mandateId=1", { "content-type": "text/plain" }),
        415,
        "UNSUPPORTED_MEDIA_TYPE",
      ],
    ];
    for (const [what, call, status, code] of cases) {
      const res = await call;
      expect({ what, status: res.status, code: res.body.error.code }).toEqual({ what, status, code });
    }
    expect((await getReservation(m.mandateId, id)).status).toBe("OPEN");
  });
});

import { z } from "zod";
import { Uuid } from "@/lib/ids/uuid";
import { MoneyString } from "@/lib/money/money-string";
import { API_KEY_ERRORS, type ApiRoute, errorContent, json, JSON_BODY_ERRORS } from "@/lib/api/openapi-content";

/**
 * Reservations of a reserving billing check, after the check: giving one back. Capturing is the
 * usage debit's job (reservationId on POST /api/v1/billing/usage); expiry needs no call.
 */

// ---------------------------------------------------------------------------------------------
// POST /api/v1/billing/reservations/{reservationId}/release

export const ReservationPath = z.object({
  reservationId: Uuid.meta({
    description: "reservationId from the billing check",
    example: "5e0c2b7a-9f4d-4c1e-8b3a-1d2e3f4a5b6c",
  }),
});

/** The mandate in the body, as on the check and the usage debit: the API key is checked first. */
export const ReleaseReservationInput = z
  .strictObject({ mandateId: Uuid })
  .meta({ id: "ReleaseReservationRequest", example: { mandateId: "0b6f1c9e-4a57-4d0e-9a3c-6a2f0f4d1e21" } });
export type ReleaseReservationInput = z.infer<typeof ReleaseReservationInput>;

export const ReleaseReservationResponse = z
  .object({
    reservationId: Uuid,
    mandateId: Uuid,
    userId: Uuid.nullable(),
    amount: MoneyString.meta({ description: "What the reservation held" }),
    status: z.enum(["RELEASED", "EXPIRED"]).meta({
      description: "EXPIRED when the hold had already run out before this call (it held nothing any more)",
    }),
    expiresAt: z.iso.datetime(),
    createdAt: z.iso.datetime(),
    settledAt: z.iso.datetime().meta({ description: "When it was released, or its expiry" }),
    released: z.boolean().meta({
      description: "True when this call freed the money; false for a retry or an expired reservation",
    }),
  })
  .meta({
    id: "ReleaseReservationResponse",
    example: {
      reservationId: "5e0c2b7a-9f4d-4c1e-8b3a-1d2e3f4a5b6c",
      mandateId: "0b6f1c9e-4a57-4d0e-9a3c-6a2f0f4d1e21",
      userId: "7d1f0a52-3c1b-4f7e-8a0d-2b9e6c5f4a13",
      amount: "0.050000",
      status: "RELEASED",
      expiresAt: "2026-11-24T13:05:00.000Z",
      createdAt: "2026-11-24T13:00:00.000Z",
      settledAt: "2026-11-24T13:00:02.512Z",
      released: true,
    },
  });
export type ReleaseReservationResponse = z.infer<typeof ReleaseReservationResponse>;

// ---------------------------------------------------------------------------------------------
// OpenAPI

export const reservationRoutes: ApiRoute[] = [
  {
    method: "post",
    path: "/api/v1/billing/reservations/{reservationId}/release",
    operationId: "releaseReservation",
    tags: ["billing"],
    summary: "Give a reservation's money back",
    description:
      "For an AI call that did not happen after a reserving billing check: the held amount counts " +
      "again at once instead of at its expiry. Idempotent: a retry answers the same with released=false. " +
      "A reservation already past its expiry is marked EXPIRED (it held nothing any more). A usage " +
      "debit naming a released reservation is refused (409).",
    request: { params: ReservationPath, body: { required: true, content: json(ReleaseReservationInput) } },
    responses: {
      200: { description: "Released, or already released or expired", content: json(ReleaseReservationResponse) },
      ...JSON_BODY_ERRORS,
      ...API_KEY_ERRORS,
      404: errorContent("Unknown reservation, or one of another mandate"),
      409: errorContent("A usage debit already captured the reservation"),
    },
  },
];

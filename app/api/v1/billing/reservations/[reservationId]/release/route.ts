import {
  ReleaseReservationInput,
  type ReleaseReservationResponse,
  ReservationPath,
} from "@/lib/api/routes/reservations";
import { releaseReservation } from "@/lib/billing-check/release-reservation";
import { apiRoute } from "@/lib/http/api-route";

/** A retry of a release is a 200 too (released: false): the reservation's state is the answer. */
export const POST = apiRoute(
  { params: ReservationPath, body: ReleaseReservationInput },
  ({ body }) => body.mandateId,
  async ({ params, body }) => {
    const released = await releaseReservation(body.mandateId, params.reservationId);
    const result: ReleaseReservationResponse = {
      ...released,
      expiresAt: released.expiresAt.toISOString(),
      createdAt: released.createdAt.toISOString(),
      settledAt: released.settledAt.toISOString(),
    };
    return Response.json(result);
  },
);

import {
  ReleaseReservationInput,
  type ReleaseReservationResponse,
  ReservationPath,
} from "@/lib/api/routes/reservations";
import { requireApiKey } from "@/lib/auth/require-api-key";
import { releaseReservation } from "@/lib/billing-check/release-reservation";
import { errorResponse } from "@/lib/http/error-response";
import { parseJson } from "@/lib/http/parse-json";

/** A retry of a release is a 200 too (released: false): the reservation's state is the answer. */
export async function POST(
  req: Request,
  { params }: { params: Promise<{ reservationId: string }> },
): Promise<Response> {
  try {
    const { reservationId } = ReservationPath.parse(await params);
    const { mandateId } = await parseJson(req, ReleaseReservationInput);
    await requireApiKey(req, mandateId); // 401 / 403 before any work
    const released = await releaseReservation(mandateId, reservationId);
    const body: ReleaseReservationResponse = {
      ...released,
      expiresAt: released.expiresAt.toISOString(),
      createdAt: released.createdAt.toISOString(),
      settledAt: released.settledAt.toISOString(),
    };
    return Response.json(body);
  } catch (err) {
    return errorResponse(err);
  }
}

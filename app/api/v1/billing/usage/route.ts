import { UsageEventInput, type UsageResponse } from "@/lib/api/routes/billing";
import { apiRoute } from "@/lib/http/api-route";
import { recordUsage } from "@/lib/usage/record-usage";

/** 201 for a new booking; a retry with the same idempotency key answers 200 with the first one. */
export const POST = apiRoute(
  { body: UsageEventInput }, // amounts are decimal strings
  ({ body }) => body.mandateId,
  async ({ body }) => {
    const booked: UsageResponse = await recordUsage(body);
    return Response.json(booked, { status: booked.replayed ? 200 : 201 });
  },
);

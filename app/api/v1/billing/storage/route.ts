import { StorageReportInput, toStorageReportResult } from "@/lib/api/routes/storage";
import { apiRoute } from "@/lib/http/api-route";
import { reportStorage } from "@/lib/storage/report-storage";

/**
 * The platform reports a mandate's indexed data volume; overage above the included volume is
 * debited. Platform-wide keys only: a tenant must not report its own storage.
 */
export const POST = apiRoute(
  { body: StorageReportInput },
  () => null,
  async ({ body }) => {
    const report = await reportStorage(body);
    return Response.json(toStorageReportResult(report), { status: report.transactionId ? 201 : 200 });
  },
);

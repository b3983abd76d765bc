import { StorageReportInput, toStorageReportResult } from "@/lib/api/routes/storage";
import { apiRoute } from "@/lib/http/api-route";
import { reportStorage } from "@/lib/storage/report-storage";

/** The platform reports a mandate's indexed data volume; overage above the included volume is debited. */
export const POST = apiRoute(
  { body: StorageReportInput },
  ({ body }) => body.mandateId,
  async ({ body }) => {
    const report = await reportStorage(body);
    return Response.json(toStorageReportResult(report), { status: report.transactionId ? 201 : 200 });
  },
);

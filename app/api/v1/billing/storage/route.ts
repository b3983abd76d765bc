import { StorageReportInput, toStorageReportResult } from "@/lib/api/routes/storage";
import { requireApiKey } from "@/lib/auth/require-api-key";
import { errorResponse } from "@/lib/http/error-response";
import { parseJson } from "@/lib/http/parse-json";
import { reportStorage } from "@/lib/storage/report-storage";

/** The platform reports a mandate's indexed data volume; overage above the included volume is debited. */
export async function POST(req: Request): Promise<Response> {
  try {
    const input = await parseJson(req, StorageReportInput);
    await requireApiKey(req, input.mandateId); // 401 / 403 before any work
    const report = await reportStorage(input);
    return Response.json(toStorageReportResult(report), { status: report.transactionId ? 201 : 200 });
  } catch (err) {
    return errorResponse(err);
  }
}

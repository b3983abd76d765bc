import { z } from "zod";
import { IdempotencyKey } from "@/lib/ledger/idempotency-key";
import { Uuid } from "@/lib/ids/uuid";
import { Timestamp as TimestampString } from "@/lib/api/timestamp";
import { API_KEY_ERRORS, type ApiRoute, errorContent, json, JSON_BODY_ERRORS } from "@/lib/api/openapi-content";
import { MoneyString, SignedMoneyString } from "@/lib/money/money-string";
import type { StorageReport } from "@/lib/storage/report-storage";
import { VOLUME_MB } from "@/lib/storage/storage-overage";

/** Request and response of POST /api/v1/billing/storage (docs/storage-overage.md). */

const VolumeMB = z
  .string()
  .regex(VOLUME_MB, 'must be a decimal string ≥ 0 with at most 12 integer digits and 6 decimals, e.g. "1536.5"')
  .meta({ description: "Volume in MB (1 GB = 1024 MB) as a decimal string", example: "1536.5" });

const Timestamp = TimestampString.transform((value) => new Date(value));

export const StorageReportInput = z
  .object({
    mandateId: Uuid,
    volumeMB: VolumeMB.meta({ description: "The mandate's current indexed data volume in MB" }),
    idempotencyKey: IdempotencyKey.optional().meta({
      description:
        "Optional key of this report, recorded as the reference of the debit it causes. Reports are " +
        "idempotent by themselves: a repeated report finds its volume billed already and books nothing.",
    }),
    reportedAt: Timestamp.optional().meta({
      description: "When the volume was measured (ISO 8601); defaults to now; must not lie in the future",
      example: "2026-11-15T08:00:00Z",
    }),
  })
  .meta({ id: "StorageReportInput" });

export const StorageReportResult = z
  .object({
    mandateId: Uuid,
    periodStart: z.iso.datetime().meta({ description: "The billing period the report was applied to" }),
    volumeMB: VolumeMB.meta({ description: "The reported volume" }),
    highWatermarkMB: VolumeMB.meta({ description: "Peak volume of the period so far (shrinking never refunds)" }),
    includedMB: VolumeMB.meta({
      description: "Volume included without charge (the mandate's setting or the platform default)",
    }),
    billedUpToMB: VolumeMB.meta({ description: "Overage MB billed this period, including this report's debit" }),
    debitedAmount: MoneyString.meta({
      description: 'CHF debited from the pool by this report; "0.000000" when nothing was owed',
    }),
    transactionId: Uuid.nullable().meta({ description: "The STORAGE debit booked by this report, if any" }),
    balanceAfter: SignedMoneyString.meta({
      description: "Pool balance in CHF after this report (may be negative)",
      example: "12.500000",
    }),
  })
  .meta({ id: "StorageReportResult" });

export type StorageReportResult = z.infer<typeof StorageReportResult>;

export function toStorageReportResult(report: StorageReport): StorageReportResult {
  return { ...report, periodStart: report.periodStart.toISOString() };
}

export const storageRoutes: ApiRoute[] = [
  {
    method: "post",
    path: "/api/v1/billing/storage",
    operationId: "reportStorage",
    tags: ["storage"],
    summary: "Report a mandate's indexed data volume; debits storage overage",
    description:
      "For platform-wide API keys only (403 for a mandate's key): the platform, not the tenant, reports " +
      "storage. The billing period is the calendar month in Europe/Zurich of reportedAt (until plans " +
      "exist); it is not the caller's to choose. Keeps the peak volume of the billing period and debits the pool (reference STORAGE) for the part of " +
      "max(0, peak − included) not billed yet, at 0.50 CHF per GB (1,024 MB) per month. Applied in one " +
      "transaction under a lock on the mandate's settings, so concurrent reports never bill twice. " +
      "Storage is billed even when the pool account is disabled for AI usage.",
    request: { body: { required: true, content: json(StorageReportInput) } },
    responses: {
      201: { description: "An overage debit was booked", content: json(StorageReportResult) },
      200: {
        description: "Applied; nothing was owed (e.g. below included, shrink, repeat)",
        content: json(StorageReportResult),
      },
      ...JSON_BODY_ERRORS,
      ...API_KEY_ERRORS,
      404: errorContent("Unknown mandate"),
      409: errorContent("reportedAt lies in a month before the mandate's current period (STALE_STORAGE_PERIOD)"),
    },
  },
];

import { randomUUID } from "node:crypto";
import type { UsageInput } from "@/lib/usage/usage-input";

/**
 * A complete, valid usage event with a fresh idempotency key; tests override what they are
 * about. sampleUsageInput is what recordUsage takes, sampleUsageEvent the API's wire shape.
 */
export function sampleUsageInput(mandateId: string, extra: Partial<UsageInput> = {}): UsageInput {
  return {
    mandateId,
    idempotencyKey: randomUUID(),
    amount: "0.1",
    provider: "openai",
    model: "gpt-4o",
    featureCode: "chat",
    featureInstanceId: "chat-1",
    workflowId: "wf-1",
    processingTime: "0.25",
    bytesSent: 100,
    bytesReceived: 200,
    errorCount: 0,
    ...extra,
  };
}

export function sampleUsageEvent(mandateId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...sampleUsageInput(mandateId), ...extra };
}

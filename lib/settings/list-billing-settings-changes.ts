import { prisma } from "@/lib/db/client";
import { isUuid } from "@/lib/ids/uuid";
import { EDITABLE_SETTINGS_FIELDS, type EditableSettingsField, type SettingsValue } from "./billing-settings-schema";

export interface BillingSettingsChangeView {
  id: string;
  field: EditableSettingsField;
  oldValue: SettingsValue;
  newValue: SettingsValue;
  /** ISO timestamp. */
  changedAt: string;
  changedBy: { userId: string; name: string; email: string };
}

export const SETTINGS_HISTORY_LIMIT = 50;

/** The mandate's latest settings changes, newest first (one row per changed field). */
export async function listBillingSettingsChanges(
  mandateId: string,
  limit = SETTINGS_HISTORY_LIMIT,
): Promise<BillingSettingsChangeView[]> {
  if (!isUuid(mandateId)) return [];
  const rows = await prisma.billingSettingsChange.findMany({
    where: { mandateId },
    orderBy: [{ changedAt: "desc" }, { id: "desc" }],
    take: limit,
    include: { changedBy: { select: { id: true, name: true, email: true } } },
  });
  return rows.flatMap((row) => {
    const oldValue = toSettingsValue(row.oldValue);
    const newValue = toSettingsValue(row.newValue);
    // Rows this version cannot show (a field since renamed, a malformed value) are skipped, not guessed.
    if (!isEditableField(row.field) || oldValue === undefined || newValue === undefined) return [];
    return [
      {
        id: row.id,
        field: row.field,
        oldValue,
        newValue,
        changedAt: row.changedAt.toISOString(),
        changedBy: { userId: row.changedBy.id, name: row.changedBy.name, email: row.changedBy.email },
      },
    ];
  });
}

function isEditableField(field: string): field is EditableSettingsField {
  return (EDITABLE_SETTINGS_FIELDS as readonly string[]).includes(field);
}

function toSettingsValue(value: unknown): SettingsValue | undefined {
  if (typeof value === "string" || typeof value === "boolean" || typeof value === "number") return value;
  if (Array.isArray(value) && value.every((v): v is string => typeof v === "string")) return value;
  return undefined;
}

import { prisma } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";
import { isUuid } from "@/lib/ids/uuid";
import {
  BillingSettingsInput,
  EDITABLE_SETTINGS_FIELDS,
  type BillingSettingsValues,
  type EditableSettingsField,
  type SettingsValue,
} from "./billing-settings-schema";
import { settingsValuesFromRow } from "./settings-values";

export interface UpdateBillingSettingsOptions {
  mandateId: string;
  /** The person saving; recorded with every change. */
  changedByUserId: string;
  /** Validated here again: the domain does not trust its callers (form, API) to have done it. */
  settings: BillingSettingsInput;
  /**
   * The settingsVersion the caller's form was loaded with. A save from an older version is
   * refused (EDIT_CONFLICT) instead of silently undoing what another admin saved since.
   */
  expectedVersion: number;
}

export interface SettingsChange {
  field: EditableSettingsField;
  oldValue: SettingsValue;
  newValue: SettingsValue;
}

export interface UpdateBillingSettingsResult {
  /** Empty when the settings already had these values: then nothing was written. */
  changes: SettingsChange[];
  values: BillingSettingsValues;
  /** The version a form shows after this save (unchanged when nothing changed). */
  settingsVersion: number;
}

/**
 * Saves a mandate's billing settings and records each changed field (who, when, old → new) in
 * billing_settings_change, in one transaction. The settings row is locked first, so concurrent
 * saves run one after the other and each records the old value the previous one left: the
 * history is a chain without gaps. Under that lock the form's version is compared with the
 * row's: two admins who opened the form at once cannot both save, the second is told to reload.
 * Invalid input throws a ZodError before anything is touched.
 */
export async function updateBillingSettings(opts: UpdateBillingSettingsOptions): Promise<UpdateBillingSettingsResult> {
  const values = BillingSettingsInput.parse(opts.settings);
  if (!isUuid(opts.mandateId) || !isUuid(opts.changedByUserId)) {
    throw new DomainError("NOT_FOUND", "billing settings not found");
  }
  return prisma.$transaction(
    async (tx) => {
      const locked = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM billing_settings WHERE mandate_id = ${opts.mandateId}::uuid FOR UPDATE`;
      if (locked.length === 0) throw new DomainError("NOT_FOUND", "billing settings not found");
      // Read after the lock: under READ COMMITTED this sees what a save we waited for committed.
      const row = await tx.billingSettings.findUniqueOrThrow({ where: { mandateId: opts.mandateId } });
      if (row.settingsVersion !== opts.expectedVersion) {
        throw new DomainError("EDIT_CONFLICT", "the billing settings were changed since this form was loaded", {
          expectedVersion: opts.expectedVersion,
          currentVersion: row.settingsVersion,
        });
      }
      // The e-mail language lives on the mandate; only saves of these settings change it, and
      // they queue on the lock above, so it is read and written under that lock too.
      const mandate = await tx.mandate.findUniqueOrThrow({ where: { id: opts.mandateId }, select: { locale: true } });
      const changes = diffSettings(settingsValuesFromRow(row, mandate.locale), values);
      if (changes.length === 0) return { changes, values, settingsVersion: row.settingsVersion };

      // Auto-recharge charges the kept card: without one it would promise what cannot happen.
      if (values.autoRechargeEnabled && !row.stripePaymentMethodId) {
        throw new DomainError("NO_SAVED_CARD", "auto-recharge needs a saved card");
      }
      // Switched on by a person: failures before count no more (only a person switches it on).
      const switchedOn = values.autoRechargeEnabled && !row.autoRechargeEnabled;
      const { locale, ...settings } = values;
      if (locale !== mandate.locale) {
        await tx.mandate.update({ where: { id: opts.mandateId }, data: { locale } });
      }
      const saved = await tx.billingSettings.update({
        where: { mandateId: opts.mandateId },
        data: {
          ...settings,
          settingsVersion: { increment: 1 },
          ...(switchedOn ? { rechargeFailuresInRow: 0, autoRechargeSwitchedOffAt: null } : {}),
        },
        select: { settingsVersion: true },
      });
      // Timestamped by the database after the lock was granted (statement_timestamp, not the
      // app's clock or the transaction's start), so the history orders saves as they happened.
      const rows = changes.map((c) => ({ field: c.field, old_value: c.oldValue, new_value: c.newValue }));
      await tx.$executeRaw`
        INSERT INTO billing_settings_change (mandate_id, changed_by_user_id, field, old_value, new_value, changed_at)
        SELECT ${opts.mandateId}::uuid, ${opts.changedByUserId}::uuid, c.field, c.old_value, c.new_value,
               statement_timestamp()
          FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS c(field text, old_value jsonb, new_value jsonb)`;
      return { changes, values, settingsVersion: saved.settingsVersion };
    },
    // Saves of one mandate queue on the row lock; give a waiting one more than the 5 s default.
    { timeout: 15_000, maxWait: 10_000 },
  );
}

/** The fields whose value differs, in form order. E-mail lists compare in order. */
function diffSettings(before: BillingSettingsValues, after: BillingSettingsValues): SettingsChange[] {
  return EDITABLE_SETTINGS_FIELDS.filter((field) => !sameValue(before[field], after[field])).map((field) => ({
    field,
    oldValue: before[field],
    newValue: after[field],
  }));
}

function sameValue(a: SettingsValue, b: SettingsValue): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => v === b[i]);
  }
  return a === b;
}

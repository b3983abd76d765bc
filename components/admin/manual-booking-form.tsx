"use client";

import { useTranslation } from "react-i18next";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import {
  MANUAL_BOOKING_FORM_FIELDS,
  MANUAL_BOOKING_TYPES,
  ManualBookingInput,
} from "@/lib/admin/manual-booking-schema";
import type { Locale } from "@/lib/i18n/config";
import { enumLabel, fieldLabel } from "@/lib/i18n/model-metadata";
import { formatMoney } from "@/lib/money/format";
import type { FormState } from "@/lib/forms/form-state";
import styles from "./admin.module.css";
import { FormAlert } from "./form-alert";
import { useAdminForm } from "./use-admin-form";

type ManualBookingState = FormState<never, { balanceAfter: string; replayed: boolean }>;

export interface ManualBookingFormProps {
  /** The server action, bound to the mandate. */
  action: (prev: ManualBookingState, form: FormData) => Promise<ManualBookingState>;
  /** Made by the server for this rendering of the form; a new one comes with each re-render after a booking. */
  idempotencyKey: string;
  currency: string;
  locale: Locale;
}

export function ManualBookingForm({ action, idempotencyKey, currency, locale }: ManualBookingFormProps) {
  const { t } = useTranslation("billing");
  const { state, pending, onSubmit, errorFor, formError } = useAdminForm(
    ManualBookingInput,
    action,
    MANUAL_BOOKING_FORM_FIELDS,
  );
  const booked = state.ok ? (state.result ?? null) : null;
  const keyError = errorFor("idempotencyKey");

  return (
    // Keyed by the idempotency key: after a booking the page re-renders with a fresh key and
    // the form starts empty, so the next booking cannot replay (or collide with) the last one.
    <form key={idempotencyKey} className={styles.stack} onSubmit={onSubmit} noValidate>
      <FormAlert code={formError} />
      {keyError ? (
        <p role="alert" className={styles.alert}>
          {keyError}
        </p>
      ) : null}
      {booked ? (
        <p role="status" className={styles.success} data-testid="booking-result">
          {booked.replayed
            ? t("admin.booking.replayed")
            : t("admin.booking.booked", { balance: formatMoney(booked.balanceAfter, locale, currency) })}
        </p>
      ) : null}
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <FormField label={fieldLabel("BillingTransaction", "transactionType", locale)} error={errorFor("type")}>
        {(field) => (
          <Select {...field} name="type" defaultValue="CREDIT">
            {MANUAL_BOOKING_TYPES.map((type) => (
              <option key={type} value={type}>
                {enumLabel("TransactionType", type, locale)}
              </option>
            ))}
          </Select>
        )}
      </FormField>
      <FormField
        label={fieldLabel("BillingTransaction", "amount", locale)}
        hint={t("admin.booking.amountHint")}
        error={errorFor("amount")}
      >
        {(field) => <Input {...field} name="amount" inputMode="decimal" autoComplete="off" placeholder="0.00" />}
      </FormField>
      <FormField label={t("admin.booking.reason")} hint={t("admin.booking.reasonHint")} error={errorFor("reason")}>
        {(field) => <Input {...field} name="reason" autoComplete="off" maxLength={500} />}
      </FormField>
      <div>
        <Button type="submit" loading={pending}>
          {t("admin.booking.submit")}
        </Button>
      </div>
    </form>
  );
}

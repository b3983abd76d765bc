"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CheckboxField } from "@/components/ui/checkbox-field";
import fieldStyles from "@/components/ui/field.module.css";
import { FormField } from "@/components/ui/form-field";
import formMessage from "@/components/ui/form-message.module.css";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { LOCALES, type Locale } from "@/lib/i18n/config";
import { fieldHelp } from "@/lib/i18n/model-metadata";
import { formatMoney } from "@/lib/money/format";
import {
  SETTINGS_LIMITS,
  SETTINGS_VALIDATION_CODES,
  valuesToFormValues,
  type BillingSettingsFormState,
  type BillingSettingsValues,
  type EditableSettingsField,
  type SettingsValidationCode,
} from "@/lib/settings/billing-settings-schema";
import { IDLE_FORM_STATE, type FieldError } from "@/lib/forms/form-state";
import { LANGUAGE_NAMES, settingHelp, settingLabel } from "@/lib/settings/setting-labels";
import { formatDecimal } from "./format-setting-value";
import styles from "./settings.module.css";
import layout from "@/components/ui/form-layout.module.css";

export interface BillingSettingsFormProps {
  locale: Locale;
  /** The saved values; after a successful save the page re-renders with the new ones. */
  initial: BillingSettingsValues;
  /** The settings version `initial` was read at; sent back so a stale save is refused. */
  settingsVersion: number;
  /** "Visa •••• 4242": the card auto-recharge would charge; null: none kept yet. */
  savedCard: string | null;
  /** saveBillingSettingsAction bound to the mandate. */
  action: (prev: BillingSettingsFormState, form: FormData) => Promise<BillingSettingsFormState>;
}

const INITIAL_STATE: BillingSettingsFormState = IDLE_FORM_STATE;

/**
 * The billing settings form. Validation runs on the server (the one schema); its field codes are
 * translated here. Uncontrolled inputs, re-mounted per answer (keyed by its time): after a
 * rejected save they show what was entered, after a successful one the saved values.
 */
export function BillingSettingsForm({ locale, initial, settingsVersion, savedCard, action }: BillingSettingsFormProps) {
  const { t } = useTranslation("billing");
  const { t: tErrors } = useTranslation("errors");
  const [state, formAction, pending] = useActionState(action, INITIAL_STATE);
  const formRef = useRef<HTMLFormElement>(null);
  // The answer the person has edited the form after: its "Saved" no longer describes the form.
  const [editedAfter, setEditedAfter] = useState<number | null>(null);
  const answeredAt = state.ok === null ? 0 : state.at;
  const values = state.ok === false && state.values ? state.values : valuesToFormValues(initial);
  const fields = state.ok === false ? (state.fields ?? {}) : {};

  useEffect(() => {
    // Keyboard and screen-reader users land on the first field to fix.
    if (state.ok === false) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [state]);

  const label = (field: EditableSettingsField) => settingLabel(field, locale);
  const bounds = boundParams(locale);
  const hint = (field: EditableSettingsField, limits?: Record<string, string | number>) =>
    `${settingHelp(field, locale)}. ${limits ? t(`settings.bounds.${field}`, limits) : ""}`.trim();
  const error = (field: EditableSettingsField, limits?: Record<string, string | number>) =>
    fieldMessage(fields[field], limits, (key, params) => t(key, params));

  let status = "";
  if (state.ok === true && editedAfter !== answeredAt) {
    status = state.result?.changed === 0 ? t("settings.unchanged") : t("settings.saved");
  }

  return (
    <Card title={t("settings.formTitle")}>
      <form
        ref={formRef}
        action={formAction}
        noValidate
        className={layout.form}
        onChange={() => setEditedAfter(answeredAt)}
        data-testid="settings-form"
      >
        <input type="hidden" name="settingsVersion" value={settingsVersion} />
        {state.ok === false ? (
          <p role="alert" className={formMessage.alert} data-testid="settings-error" data-code={state.code}>
            {tErrors(state.code)}
          </p>
        ) : null}
        <div key={answeredAt} className={layout.form}>
          <fieldset className={layout.fieldset}>
            <legend className={layout.legend}>{t("settings.warningGroup")}</legend>
            <FormField
              label={label("warningThresholdPercent")}
              hint={hint("warningThresholdPercent", bounds.percent)}
              error={error("warningThresholdPercent", bounds.percent)}
            >
              {(control) => (
                <Input
                  {...control}
                  name="warningThresholdPercent"
                  inputMode="decimal"
                  autoComplete="off"
                  defaultValue={values.warningThresholdPercent}
                />
              )}
            </FormField>
            <CheckboxField
              name="notifyOnWarning"
              label={label("notifyOnWarning")}
              hint={fieldHelp("BillingSettings", "notifyOnWarning", locale)}
              defaultChecked={values.notifyOnWarning}
            />
            <FormField
              label={label("notifyEmails")}
              hint={hint("notifyEmails", bounds.emails)}
              error={error("notifyEmails", bounds.emails)}
            >
              {({ invalid, ...control }) => (
                <textarea
                  {...control}
                  aria-invalid={invalid || undefined}
                  name="notifyEmails"
                  rows={4}
                  spellCheck={false}
                  autoComplete="off"
                  className={`${fieldStyles.control} ${styles.textarea}`}
                  defaultValue={values.notifyEmails}
                />
              )}
            </FormField>
            <FormField label={label("locale")} hint={settingHelp("locale", locale)} error={error("locale")}>
              {(control) => (
                <Select {...control} name="locale" defaultValue={values.locale}>
                  {LOCALES.map((lng) => (
                    <option key={lng} value={lng} lang={lng}>
                      {LANGUAGE_NAMES[lng]}
                    </option>
                  ))}
                </Select>
              )}
            </FormField>
          </fieldset>
          <fieldset className={layout.fieldset}>
            <legend className={layout.legend}>{t("settings.rechargeGroup")}</legend>
            <CheckboxField
              name="autoRechargeEnabled"
              label={label("autoRechargeEnabled")}
              hint={`${fieldHelp("BillingSettings", "autoRechargeEnabled", locale)}. ${
                savedCard ? t("overview.autoRechargeCard", { card: savedCard }) : t("settings.validation.noSavedCard")
              }`}
              error={error("autoRechargeEnabled")}
              defaultChecked={values.autoRechargeEnabled}
            />
            <FormField
              label={label("rechargeAmountCHF")}
              hint={hint("rechargeAmountCHF", bounds.amount)}
              error={error("rechargeAmountCHF", bounds.amount)}
            >
              {(control) => (
                <Input
                  {...control}
                  name="rechargeAmountCHF"
                  inputMode="decimal"
                  autoComplete="off"
                  defaultValue={values.rechargeAmountCHF}
                />
              )}
            </FormField>
            <FormField
              label={label("rechargeMaxPerMonth")}
              hint={hint("rechargeMaxPerMonth", bounds.recharges)}
              error={error("rechargeMaxPerMonth", bounds.recharges)}
            >
              {(control) => (
                <Input
                  {...control}
                  name="rechargeMaxPerMonth"
                  inputMode="numeric"
                  autoComplete="off"
                  defaultValue={values.rechargeMaxPerMonth}
                />
              )}
            </FormField>
          </fieldset>
        </div>
        <div className={styles.actions}>
          <Button type="submit" loading={pending}>
            {t("settings.save")}
          </Button>
          {/* Always rendered, so screen readers announce the text when it appears. */}
          <p role="status" className={formMessage.status} data-testid="settings-status">
            {status}
          </p>
        </div>
      </form>
    </Card>
  );
}

/** Bounds for hints and messages, formatted for the reader (CHF amounts as money). */
function boundParams(locale: Locale) {
  const { warningThresholdPercent: pct, rechargeAmountCHF: amount, rechargeMaxPerMonth: count } = SETTINGS_LIMITS;
  return {
    percent: { min: formatDecimal(pct.min, locale), max: formatDecimal(pct.max, locale) },
    amount: { min: formatMoney(amount.min, locale), max: formatMoney(amount.max, locale) },
    recharges: { min: count.min, max: count.max },
    emails: { max: SETTINGS_LIMITS.notifyEmails.max },
  };
}

function isValidationCode(code: string): code is SettingsValidationCode {
  return (SETTINGS_VALIDATION_CODES as readonly string[]).includes(code);
}

function fieldMessage(
  error: FieldError | undefined,
  limits: Record<string, string | number> | undefined,
  t: (key: string, params: Record<string, string | number>) => string,
): string | null {
  if (!error) return null;
  const code = isValidationCode(error.code) ? error.code : "invalid";
  return t(`settings.validation.${code}`, { ...limits, value: error.value ?? "" });
}

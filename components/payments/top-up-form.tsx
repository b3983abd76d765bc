"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CheckboxField } from "@/components/ui/checkbox-field";
import { FormField } from "@/components/ui/form-field";
import formMessage from "@/components/ui/form-message.module.css";
import { Input } from "@/components/ui/input";
import type { Locale } from "@/lib/i18n/config";
import { fieldHelp, fieldLabel } from "@/lib/i18n/model-metadata";
import { IDLE_FORM_STATE, type FieldError, type FormState } from "@/lib/forms/form-state";
import type { FormValues } from "@/lib/forms/read-form";
import { formatMoney } from "@/lib/money/format";
import {
  TOP_UP_PRESETS,
  TOP_UP_VALIDATION_CODES,
  type TOP_UP_FORM_FIELDS,
  type TopUpLimits,
} from "@/lib/payments/top-up-schema";
import styles from "./payments.module.css";
import layout from "@/components/ui/form-layout.module.css";

/** What the top-up action answers: a failure to show; success leaves for Stripe's checkout page. */
export type TopUpFormState = FormState<
  FormValues<typeof TOP_UP_FORM_FIELDS>,
  { paymentId: string; checkoutUrl: string }
>;

export interface TopUpFormProps {
  locale: Locale;
  /** The custom amount's bounds (topUpLimits() on the server), CHF. */
  limits: TopUpLimits;
  /** startTopUpAction bound to the mandate. */
  action: (prev: TopUpFormState, form: FormData) => Promise<TopUpFormState>;
}

/**
 * The top-up form: a preset fills the amount, which may also be typed. The server's parse is the
 * one that counts; its codes are translated here. Both fields are controlled, so a refused
 * submission keeps what was entered (React resets uncontrolled fields after an action).
 */
export function TopUpForm({ locale, limits, action }: TopUpFormProps) {
  const { t } = useTranslation("billing");
  const { t: tErrors } = useTranslation("errors");
  const [state, formAction, pending] = useActionState(action, IDLE_FORM_STATE as TopUpFormState);
  const [amount, setAmount] = useState("");
  const [saveCard, setSaveCard] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const fields = state.ok === false ? (state.fields ?? {}) : {};
  const bounds = { min: formatMoney(limits.min, locale), max: formatMoney(limits.max, locale) };

  useEffect(() => {
    // Keyboard and screen-reader users land on the field to fix.
    if (state.ok === false) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [state]);

  return (
    <Card title={t("topUp.formTitle")}>
      <form ref={formRef} action={formAction} noValidate className={layout.form} data-testid="top-up-form">
        {state.ok === false ? (
          <p role="alert" className={formMessage.alert} data-testid="top-up-error" data-code={state.code}>
            {tErrors(state.code)}
          </p>
        ) : null}
        <fieldset className={layout.fieldset}>
          <legend className={layout.legend}>{t("topUp.presets")}</legend>
          <div className={styles.presets}>
            {TOP_UP_PRESETS.map((preset) => (
              <Button
                key={preset}
                variant="secondary"
                className={styles.preset}
                aria-pressed={amount === preset}
                aria-label={t("topUp.presetLabel", { amount: formatMoney(preset, locale) })}
                data-preset={preset}
                onClick={() => setAmount(preset)}
              >
                {formatMoney(preset, locale)}
              </Button>
            ))}
          </div>
        </fieldset>
        <FormField
          label={fieldLabel("Payment", "amount", locale)}
          hint={t("topUp.amountHint", bounds)}
          error={validationMessage(fields.amount, (key) => t(key, bounds))}
        >
          {(control) => (
            <Input
              {...control}
              name="amount"
              inputMode="decimal"
              autoComplete="off"
              value={amount}
              onChange={(event) => setAmount(event.target.value)}
            />
          )}
        </FormField>
        <CheckboxField
          name="saveCard"
          checked={saveCard}
          onChange={(event) => setSaveCard(event.target.checked)}
          label={fieldLabel("Payment", "saveCard", locale)}
          hint={fieldHelp("Payment", "saveCard", locale)}
          error={validationMessage(fields.saveCard, (key) => t(key, bounds))}
        />
        <div className={styles.actions}>
          <Button type="submit" loading={pending} data-testid="top-up-submit">
            {t("topUp.submit")}
          </Button>
          <p className={styles.muted}>{t("topUp.secure")}</p>
        </div>
      </form>
    </Card>
  );
}

function validationMessage(error: FieldError | undefined, t: (key: string) => string): string | null {
  if (!error) return null;
  const code = (TOP_UP_VALIDATION_CODES as readonly string[]).includes(error.code) ? error.code : "invalid";
  return t(`topUp.validation.${code}`);
}

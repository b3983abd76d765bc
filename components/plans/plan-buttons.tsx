"use client";

import { useActionState, useState, useTransition } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import formMessage from "@/components/ui/form-message.module.css";
import type { ErrorCode } from "@/lib/errors";
import { IDLE_FORM_STATE, type FormAnswer, type FormState } from "@/lib/forms/form-state";
import styles from "./plans.module.css";

type PlanFormState = FormState<never, { url: string }>;
type PlanFormAction = (prev: PlanFormState, form: FormData) => Promise<PlanFormState>;

/** Codes with a message of the plans page's own; the rest read as errors.<code>. */
const PLAN_ERROR_CODES: readonly ErrorCode[] = ["NOT_FOUND", "EDIT_CONFLICT"];

function useErrorMessage(): (code: ErrorCode) => string {
  const { t } = useTranslation("billing");
  const { t: te } = useTranslation("errors");
  return (code) => (PLAN_ERROR_CODES.includes(code) ? t(`plans.errors.${code}`) : te(code));
}

function InlineError({ state, testId }: { state: PlanFormState; testId: string }) {
  const message = useErrorMessage();
  if (state.ok !== false) return null;
  return (
    <p role="alert" className={formMessage.alert} data-testid={testId} data-code={state.code}>
      {/* The plan field is the only field: its error is a plan not offered (any more). */}
      {message(state.fields?.planId ? "NOT_FOUND" : state.code)}
    </p>
  );
}

/** Subscribe to, change to or keep one plan: a form of its own per card, the plan's id inside. */
export function ChoosePlanForm({
  planId,
  label,
  accessibleLabel,
  variant,
  action,
}: {
  planId: string;
  label: string;
  accessibleLabel: string;
  variant: "primary" | "secondary";
  /** choosePlanAction bound to the mandate. */
  action: PlanFormAction;
}) {
  const [state, formAction, pending] = useActionState(action, IDLE_FORM_STATE as PlanFormState);
  return (
    <form action={formAction} className={styles.planAction}>
      <InlineError state={state} testId="plan-error" />
      <input type="hidden" name="planId" value={planId} />
      <Button type="submit" variant={variant} loading={pending} aria-label={accessibleLabel} data-testid="choose-plan">
        {label}
      </Button>
    </form>
  );
}

/** Stripe's customer portal: card and invoices. */
export function PortalForm({ action }: { action: PlanFormAction }) {
  const { t } = useTranslation("billing");
  const [state, formAction, pending] = useActionState(action, IDLE_FORM_STATE as PlanFormState);
  return (
    <form action={formAction}>
      <InlineError state={state} testId="portal-error" />
      <Button type="submit" variant="secondary" loading={pending} data-testid="billing-portal">
        {t("plans.portal")}
      </Button>
    </form>
  );
}

/** Cancelling ends the AI budget credits, so it asks first and says until when the plan runs. */
export function CancelPlanButton({
  planName,
  endsOn,
  action,
}: {
  planName: string;
  endsOn: string;
  /** cancelPlanAction bound to the mandate. */
  action: () => Promise<FormAnswer<never, { cancelled: true }>>;
}) {
  const { t } = useTranslation("billing");
  const { t: tc } = useTranslation("common");
  const message = useErrorMessage();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<ErrorCode | null>(null);
  const [pending, startTransition] = useTransition();

  function confirm() {
    startTransition(async () => {
      const result = await action();
      setOpen(false);
      setError(result.ok ? null : result.code);
    });
  }

  return (
    <div>
      {error ? (
        <p role="alert" className={formMessage.alert} data-testid="cancel-plan-error" data-code={error}>
          {message(error)}
        </p>
      ) : null}
      <Button variant="danger" onClick={() => setOpen(true)} data-testid="cancel-plan">
        {t("plans.cancel")}
      </Button>
      <ConfirmDialog
        open={open}
        danger
        pending={pending}
        title={t("plans.cancelTitle")}
        message={t("plans.cancelMessage", { plan: planName, date: endsOn })}
        confirmLabel={t("plans.cancelConfirm")}
        cancelLabel={t("plans.cancelKeep")}
        closeLabel={tc("dialog.close")}
        onConfirm={confirm}
        onCancel={() => setOpen(false)}
      />
    </div>
  );
}

"use client";

import { useActionState, useId } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/select";
import type { Locale } from "@/lib/i18n/config";
import { enumLabel } from "@/lib/i18n/model-metadata";
import type { MemberView } from "@/lib/members/list-members";
import { MANDATE_ROLES, type ChangeMemberRoleFormState } from "@/lib/members/member-schemas";
import { IDLE_FORM_STATE } from "@/lib/forms/form-state";
import styles from "./members.module.css";

export interface MemberRoleFormProps {
  locale: Locale;
  member: MemberView;
  action: (prev: ChangeMemberRoleFormState, form: FormData) => Promise<ChangeMemberRoleFormState>;
}

const INITIAL_STATE: ChangeMemberRoleFormState = IDLE_FORM_STATE;

/** Role select and button of one row; a refusal (e.g. LAST_OWNER) is shown right below it. */
export function MemberRoleForm({ locale, member, action }: MemberRoleFormProps) {
  const { t } = useTranslation("billing");
  const { t: tErrors } = useTranslation("errors");
  const [state, formAction, pending] = useActionState(action, INITIAL_STATE);
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <form action={formAction} className={styles.roleForm}>
      <input type="hidden" name="membershipId" value={member.membershipId} />
      <label htmlFor={id} className="visually-hidden">
        {t("members.changeRole.label", { name: member.name })}
      </label>
      <Select
        id={id}
        name="role"
        defaultValue={member.role}
        invalid={state.ok === false}
        aria-describedby={state.ok === false ? errorId : undefined}
      >
        {MANDATE_ROLES.map((role) => (
          <option key={role} value={role}>
            {enumLabel("MandateRole", role, locale)}
          </option>
        ))}
      </Select>
      <Button
        type="submit"
        variant="secondary"
        size="small"
        loading={pending}
        aria-label={t("members.changeRole.submitFor", { name: member.name })}
      >
        {t("members.changeRole.submit")}
      </Button>
      {state.ok === false ? (
        <p id={errorId} role="alert" className={styles.inlineAlert} data-testid="role-error" data-code={state.code}>
          {tErrors(state.code)}
        </p>
      ) : null}
    </form>
  );
}

"use client";

import { startTransition, useActionState, useState } from "react";
import { useTranslation } from "react-i18next";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import formMessage from "@/components/ui/form-message.module.css";
import { Table } from "@/components/ui/table";
import { formatDateTime } from "@/lib/i18n/format-date-time";
import type { Locale } from "@/lib/i18n/config";
import { enumLabel } from "@/lib/i18n/model-metadata";
import type { MemberView } from "@/lib/members/list-members";
import type { ChangeMemberRoleFormState, RemoveMemberFormState } from "@/lib/members/member-schemas";
import { IDLE_FORM_STATE } from "@/lib/forms/form-state";
import { MemberRoleForm } from "./member-role-form";
import styles from "./members.module.css";

export interface MembersTableProps {
  locale: Locale;
  members: MemberView[];
  /** The signed-in person, marked "you" in the list. */
  currentUserId: string;
  changeRole: (prev: ChangeMemberRoleFormState, form: FormData) => Promise<ChangeMemberRoleFormState>;
  remove: (prev: RemoveMemberFormState, form: FormData) => Promise<RemoveMemberFormState>;
}

const INITIAL_REMOVE: RemoveMemberFormState = IDLE_FORM_STATE;

/** The members with their roles; owners change roles in place and remove after confirming. */
export function MembersTable({ locale, members, currentUserId, changeRole, remove }: MembersTableProps) {
  const { t } = useTranslation("billing");
  const { t: tErrors } = useTranslation("errors");
  const { t: tCommon } = useTranslation("common");
  const [removeState, removeAction, removing] = useActionState(remove, INITIAL_REMOVE);
  const [confirming, setConfirming] = useState<MemberView | null>(null);

  function confirmRemoval(member: MemberView) {
    const form = new FormData();
    form.set("membershipId", member.membershipId);
    setConfirming(null);
    startTransition(() => removeAction(form));
  }

  return (
    <div>
      <div className={styles.messages}>
        {removeState.ok === false ? (
          <p role="alert" className={formMessage.alert} data-testid="remove-member-error" data-code={removeState.code}>
            {tErrors(removeState.code)}
          </p>
        ) : null}
        <p role="status" className={formMessage.status} data-testid="remove-member-status">
          {removeState.ok === true && removeState.result
            ? t("members.remove.removed", { email: removeState.result.email })
            : ""}
        </p>
      </div>
      <Table
        label={t("members.table.label")}
        className={styles.stacked}
        data-testid="members-table"
        aria-busy={removing || undefined}
      >
        <thead>
          <tr>
            <th scope="col">{t("members.table.name")}</th>
            <th scope="col">{t("members.table.email")}</th>
            <th scope="col">{t("members.table.role")}</th>
            <th scope="col">{t("members.table.since")}</th>
            <th scope="col">{t("members.table.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {members.map((member) => (
            <tr key={member.membershipId} data-email={member.email} data-role={member.role}>
              <td className={styles.nameColumn}>
                <span className={styles.nameCell}>
                  <span>
                    {member.name}
                    {member.userId === currentUserId ? (
                      <span className={styles.muted}> ({t("members.table.you")})</span>
                    ) : null}
                  </span>
                  {member.hasPassword ? null : (
                    <span title={t("members.table.noPasswordHint")}>
                      <Badge tone="warn">{t("members.table.noPassword")}</Badge>
                    </span>
                  )}
                </span>
              </td>
              <td data-label={t("members.table.email")}>{member.email}</td>
              <td data-label={t("members.table.role")}>
                <Badge tone={member.role === "OWNER" ? "accent" : "neutral"}>
                  {enumLabel("MandateRole", member.role, locale)}
                </Badge>
              </td>
              <td data-label={t("members.table.since")}>
                <time dateTime={member.since}>{formatDateTime(member.since, locale, false)}</time>
              </td>
              <td className={styles.actionsCell}>
                <MemberRoleForm
                  // A new role re-mounts the form, so its select starts from the saved role.
                  key={member.role}
                  locale={locale}
                  member={member}
                  action={changeRole}
                />
                <Button
                  variant="ghost"
                  size="small"
                  onClick={() => setConfirming(member)}
                  aria-label={t("members.remove.buttonFor", { name: member.name })}
                  disabled={removing}
                >
                  {t("members.remove.button")}
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
      <ConfirmDialog
        open={confirming !== null}
        title={t("members.remove.title")}
        message={confirming ? t("members.remove.message", { name: confirming.name, email: confirming.email }) : null}
        confirmLabel={t("members.remove.confirm")}
        cancelLabel={tCommon("dialog.cancel")}
        closeLabel={tCommon("dialog.close")}
        danger
        onConfirm={() => {
          if (confirming) confirmRemoval(confirming);
        }}
        onCancel={() => setConfirming(null)}
      />
    </div>
  );
}

import { z } from "zod";
import { isSafeText } from "@/lib/api/safe-text";
import type { MandateRole } from "@/lib/db/generated/enums";
import type { FormState } from "@/lib/forms/form-state";
import type { FormValues } from "@/lib/forms/read-form";
import { emailAddress } from "@/lib/users/email-address";

/**
 * Inputs of the members page's actions and of lib/members. Safe in the browser. As in the
 * settings schema, messages are validation codes (`billing:members.validation.<code>`).
 */
export const MANDATE_ROLES = ["OWNER", "ADMIN", "MEMBER"] as const satisfies readonly MandateRole[];

const Role = z.enum(MANDATE_ROLES, { error: "role" });

const MemberEmail = emailAddress();

export const AddMemberInput = z.object({
  email: MemberEmail,
  // Only used when the e-mail is new and a user has to be created; blank means "use the e-mail".
  name: z
    .string({ error: "name" })
    .trim()
    .max(200, { error: "name" })
    .refine(isSafeText, { error: "invalid" })
    .optional()
    .transform((name) => name || undefined),
  role: Role,
});
export type AddMemberInput = z.input<typeof AddMemberInput>;

const MembershipId = z.uuid({ error: "invalid" });

export const ChangeMemberRoleInput = z.object({ membershipId: MembershipId, role: Role });
export type ChangeMemberRoleInput = z.input<typeof ChangeMemberRoleInput>;

export const RemoveMemberInput = z.object({ membershipId: MembershipId });
export type RemoveMemberInput = z.input<typeof RemoveMemberInput>;

/** The fields of the members page's forms (lib/forms/read-form.ts). */
export const ADD_MEMBER_FORM_FIELDS = { email: "", name: "", role: "" } as const;
export const CHANGE_MEMBER_ROLE_FORM_FIELDS = { membershipId: "", role: "" } as const;
export const REMOVE_MEMBER_FORM_FIELDS = { membershipId: "" } as const;

/** The add-member form's entries, kept to re-fill it after a rejected add. */
export type AddMemberFormValues = FormValues<typeof ADD_MEMBER_FORM_FIELDS>;

export type AddMemberFormState = FormState<AddMemberFormValues, { email: string; invited: boolean }>;
export type ChangeMemberRoleFormState = FormState<never, { changed: boolean }>;
export type RemoveMemberFormState = FormState<never, { email: string }>;

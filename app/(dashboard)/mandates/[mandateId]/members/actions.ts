"use server";

import { revalidatePath } from "next/cache";
import { requireMember } from "@/lib/auth/require-member";
import { runFormAction } from "@/lib/auth/run-form-action";
import { readForm } from "@/lib/forms/read-form";
import { addMember } from "@/lib/members/add-member";
import { changeMemberRole } from "@/lib/members/change-member-role";
import {
  ADD_MEMBER_FORM_FIELDS,
  AddMemberInput,
  CHANGE_MEMBER_ROLE_FORM_FIELDS,
  ChangeMemberRoleInput,
  REMOVE_MEMBER_FORM_FIELDS,
  RemoveMemberInput,
  type AddMemberFormState,
  type ChangeMemberRoleFormState,
  type RemoveMemberFormState,
} from "@/lib/members/member-schemas";
import { removeMember } from "@/lib/members/remove-member";

// Members are managed by OWNERs only (and platform admins, who act as OWNER). Each action
// authorizes itself: the page's guard does not protect a posted action.
const requireOwner = (mandateId: string) => () => requireMember(mandateId, "OWNER");

export async function addMemberAction(
  mandateId: string,
  _prev: AddMemberFormState,
  form: FormData,
): Promise<AddMemberFormState> {
  const values = readForm(form, ADD_MEMBER_FORM_FIELDS);
  const answer = await runFormAction({
    schema: AddMemberInput,
    input: values,
    values,
    authorize: requireOwner(mandateId),
    run: async (member) => {
      const added = await addMember({ mandateId, member });
      return { email: added.email, invited: added.invited };
    },
  });
  if (answer.ok) revalidatePath(`/mandates/${mandateId}/members`);
  return answer;
}

export async function changeMemberRoleAction(
  mandateId: string,
  _prev: ChangeMemberRoleFormState,
  form: FormData,
): Promise<ChangeMemberRoleFormState> {
  const answer = await runFormAction({
    schema: ChangeMemberRoleInput,
    input: readForm(form, CHANGE_MEMBER_ROLE_FORM_FIELDS),
    authorize: requireOwner(mandateId),
    run: async (change) => ({ changed: (await changeMemberRole({ mandateId, change })).changed }),
  });
  // The whole mandate segment: the navigation changes when owners demote themselves.
  if (answer.ok) revalidatePath(`/mandates/${mandateId}`, "layout");
  return answer;
}

export async function removeMemberAction(
  mandateId: string,
  _prev: RemoveMemberFormState,
  form: FormData,
): Promise<RemoveMemberFormState> {
  const answer = await runFormAction({
    schema: RemoveMemberInput,
    input: readForm(form, REMOVE_MEMBER_FORM_FIELDS),
    authorize: requireOwner(mandateId),
    run: async (removal) => ({ email: (await removeMember({ mandateId, removal })).email }),
  });
  // The whole mandate segment: the navigation changes when owners remove themselves.
  if (answer.ok) revalidatePath(`/mandates/${mandateId}`, "layout");
  return answer;
}

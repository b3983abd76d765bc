"use server";

import { revalidatePath } from "next/cache";
import { requireMember } from "@/lib/auth/require-member";
import { addMember } from "@/lib/members/add-member";
import { changeMemberRole } from "@/lib/members/change-member-role";
import { readForm } from "@/lib/forms/read-form";
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
import { fieldErrors, toFormState } from "@/lib/forms/form-state";

// Members are managed by OWNERs only (and platform admins, who act as OWNER). Each action
// authorizes itself: the page's guard does not protect a posted action.

export async function addMemberAction(
  mandateId: string,
  _prev: AddMemberFormState,
  form: FormData,
): Promise<AddMemberFormState> {
  const values = readForm(form, ADD_MEMBER_FORM_FIELDS);
  const parsed = AddMemberInput.safeParse(values);
  if (!parsed.success) {
    return { ok: false, code: "VALIDATION_FAILED", fields: fieldErrors(parsed.error, values), values, at: Date.now() };
  }
  let result: { email: string; invited: boolean };
  try {
    await requireMember(mandateId, "OWNER");
    const added = await addMember({ mandateId, member: parsed.data });
    result = { email: added.email, invited: added.invited };
  } catch (err) {
    return { ...toFormState(err), values };
  }
  revalidatePath(`/mandates/${mandateId}/members`);
  return { ok: true, result, at: Date.now() };
}

export async function changeMemberRoleAction(
  mandateId: string,
  _prev: ChangeMemberRoleFormState,
  form: FormData,
): Promise<ChangeMemberRoleFormState> {
  const parsed = ChangeMemberRoleInput.safeParse(readForm(form, CHANGE_MEMBER_ROLE_FORM_FIELDS));
  if (!parsed.success)
    return { ok: false, code: "VALIDATION_FAILED", fields: fieldErrors(parsed.error), at: Date.now() };
  let changed: boolean;
  try {
    await requireMember(mandateId, "OWNER");
    changed = (await changeMemberRole({ mandateId, change: parsed.data })).changed;
  } catch (err) {
    return toFormState(err);
  }
  // The whole mandate segment: the navigation changes when owners demote themselves.
  revalidatePath(`/mandates/${mandateId}`, "layout");
  return { ok: true, result: { changed }, at: Date.now() };
}

export async function removeMemberAction(
  mandateId: string,
  _prev: RemoveMemberFormState,
  form: FormData,
): Promise<RemoveMemberFormState> {
  const parsed = RemoveMemberInput.safeParse(readForm(form, REMOVE_MEMBER_FORM_FIELDS));
  if (!parsed.success)
    return { ok: false, code: "VALIDATION_FAILED", fields: fieldErrors(parsed.error), at: Date.now() };
  let email: string;
  try {
    await requireMember(mandateId, "OWNER");
    email = (await removeMember({ mandateId, removal: parsed.data })).email;
  } catch (err) {
    return toFormState(err);
  }
  // The whole mandate segment: the navigation changes when owners remove themselves.
  revalidatePath(`/mandates/${mandateId}`, "layout");
  return { ok: true, result: { email }, at: Date.now() };
}

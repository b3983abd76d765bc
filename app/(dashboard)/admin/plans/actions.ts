"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requirePlatformAdmin } from "@/lib/auth/require-user";
import { runFormAction } from "@/lib/auth/run-form-action";
import { DomainError } from "@/lib/errors";
import type { FormState } from "@/lib/forms/form-state";
import { readForm } from "@/lib/forms/read-form";
import { listPlans, PlanInput, savePlan } from "@/lib/subscriptions/plan-catalogue";

export type SavePlanState = FormState<never, { planId: string; code: string; created: boolean }>;

/** The plan form's fields (lib/forms/read-form.ts); `mode` says whether it creates or edits. */
const PLAN_FORM_FIELDS = {
  mode: "",
  code: "",
  nameDe: "",
  nameEn: "",
  monthlyPriceCHF: "",
  aiBudgetCHF: "",
  includedStorageMB: "",
  active: false,
} as const;

const PlanFormInput = PlanInput.extend({ mode: z.enum(["create", "edit"], { error: "invalid" }) });

/**
 * Creates or edits a plan of the catalogue. savePlan upserts by code, so "create" first makes
 * sure the code is new: a typo'd copy of "starter" must not silently rewrite the plan that
 * mandates run on. Plans are deactivated, never deleted (subscriptions keep pointing at them).
 */
export async function savePlanAction(_prev: SavePlanState, form: FormData): Promise<SavePlanState> {
  const answer = await runFormAction({
    schema: PlanFormInput,
    input: readForm(form, PLAN_FORM_FIELDS),
    authorize: requirePlatformAdmin,
    run: async ({ mode, ...input }) => {
      const taken = (await listPlans()).some((plan) => plan.code === input.code);
      if (mode === "create" && taken) throw new DomainError("EDIT_CONFLICT", "a plan with this code exists");
      if (mode === "edit" && !taken) throw new DomainError("NOT_FOUND", "no plan with this code");
      const plan = await savePlan(input);
      return { planId: plan.id, code: plan.code, created: mode === "create" };
    },
    fieldsByCode: {
      EDIT_CONFLICT: { code: { code: "codeTaken" } },
      NOT_FOUND: { code: { code: "planUnknown" } },
    },
  });
  if (answer.ok) revalidatePath("/admin/plans");
  return answer;
}

import { z } from "zod";
import { prisma } from "@/lib/db/client";
import type { Plan } from "@/lib/db/generated/client";
import { SafeText } from "@/lib/api/safe-text";
import { settingsDecimal } from "@/lib/settings/billing-settings-schema";

/** A plan as pages and the API show it: amounts as decimal strings ("29.00"). */
export interface PlanView {
  id: string;
  code: string;
  name: { de: string; en: string };
  monthlyPriceCHF: string;
  aiBudgetCHF: string;
  includedStorageMB: string;
  active: boolean;
  stripePriceId: string | null;
}

export function planView(plan: Plan): PlanView {
  return {
    id: plan.id,
    code: plan.code,
    name: { de: plan.nameDe, en: plan.nameEn },
    monthlyPriceCHF: plan.monthlyPriceCHF.toFixed(2),
    aiBudgetCHF: plan.aiBudgetCHF.toFixed(2),
    includedStorageMB: settingsDecimal(plan.includedStorageMB),
    active: plan.active,
    stripePriceId: plan.stripePriceId,
  };
}

/** The catalogue in its order; customers see the active plans only. */
export async function listPlans(opts: { activeOnly?: boolean } = {}): Promise<PlanView[]> {
  const plans = await prisma.plan.findMany({
    where: opts.activeOnly ? { active: true } : undefined,
    orderBy: [{ sortOrder: "asc" }, { monthlyPriceCHF: "asc" }],
  });
  return plans.map(planView);
}

const Chf = z
  .string({ error: "amount" })
  .trim()
  .regex(/^(0|[1-9]\d{0,8})(\.\d{1,2})?$/, { error: "amount" });

/** One plan of the catalogue as a platform admin edits it (the one schema of the form and the domain). */
export const PlanInput = z.object({
  code: z
    .string({ error: "code" })
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { error: "code" }),
  nameDe: SafeText.pipe(z.string().trim().min(2, { error: "name" }).max(80, { error: "name" })),
  nameEn: SafeText.pipe(z.string().trim().min(2, { error: "name" }).max(80, { error: "name" })),
  monthlyPriceCHF: Chf,
  aiBudgetCHF: Chf,
  includedStorageMB: z
    .string({ error: "storage" })
    .trim()
    .regex(/^(0|[1-9]\d{0,12})(\.\d{1,6})?$/, { error: "storage" }),
  active: z.boolean({ error: "invalid" }),
});
export type PlanInput = z.infer<typeof PlanInput>;

/** Creates a plan, or updates the one with this code. */
export async function savePlan(input: PlanInput): Promise<PlanView> {
  const data = PlanInput.parse(input);
  const plan = await prisma.plan.upsert({
    where: { code: data.code },
    create: data,
    update: data,
  });
  return planView(plan);
}

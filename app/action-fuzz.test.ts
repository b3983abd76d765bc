import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { createApiKey } from "@/lib/api-keys/api-keys";
import { ERROR_CODES } from "@/lib/errors";
import { IDLE_FORM_STATE } from "@/lib/forms/form-state";
import { badDecimal, badEmail, badFormText, badId, badText } from "@/testing/malformed-values";
import { createPlatformAdmin, membershipIdOf, userEmail } from "@/testing/dashboard-people";
import { countCreated, snapshotMandate } from "@/testing/mandate-snapshot";
import { signIn, signInAs, TWO_MANDATE_SESSIONS } from "@/testing/signed-in-user";
import { createTestMandate, createTestUser, type TestMandate } from "@/testing/test-factories";
import { setLocaleAction } from "./actions";
import { createMandateAction } from "./(dashboard)/admin/actions";
import { createApiKeyAction, revokeApiKeyAction } from "./(dashboard)/admin/api-keys/actions";
import { bookManualTransactionAction } from "./(dashboard)/admin/mandates/[mandateId]/actions";
import {
  addMemberAction,
  changeMemberRoleAction,
  removeMemberAction,
} from "./(dashboard)/mandates/[mandateId]/members/actions";
import { saveBillingSettingsAction } from "./(dashboard)/mandates/[mandateId]/settings/actions";
import { choosePlanAction } from "./(dashboard)/mandates/[mandateId]/plans/actions";
import { savePlanAction } from "./(dashboard)/admin/plans/actions";
import { grantPlanAction } from "./(dashboard)/admin/mandates/[mandateId]/actions";
import { savePlan } from "@/lib/subscriptions/plan-catalogue";

// Outside a Next request there is no session cookie and no request scope: the session lookup
// reads whom the test signed in (testing/signed-in-user.ts), the language switch's cookie store
// records what it would set, and revalidatePath (a cache hint) does nothing.
const cookiesSet = vi.hoisted(() => [] as unknown[]);
vi.mock("@/lib/auth/get-session-user", async () => ({
  getSessionUser: (await import("@/testing/signed-in-user")).signedInUser,
}));
vi.mock("next/headers", () => ({
  headers: () => Promise.resolve(new Headers()),
  cookies: () => Promise.resolve({ get: () => undefined, set: (...args: unknown[]) => cookiesSet.push(args) }),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

/**
 * Property: whatever a form posts to a dashboard server action (control characters, unpaired
 * surrogates, NUL, huge strings, amounts that are no decimals, numbers out of range, missing
 * fields, files, no FormData at all, ids that are no UUIDs or name another mandate), from whoever
 * is signed in, the action answers a form state `{ ok: false, code: "VALIDATION_FAILED", fields }`
 * (never throws, never INTERNAL_ERROR) and changes nothing: no booking, and no mandate,
 * membership, settings, API key or user row. Then: a valid form sent for a mandate the person is
 * no member of, or by someone below the role, is refused and changes nothing. Bounded: RUNS per action.
 * One file, over the usual length: both parts read the one table of actions and their forms.
 */
const RUNS = 50;
// No shrinking: after a run that changed something every later run fails too, so the first
// failing input is the one to report.

let a: TestMandate;
let b: TestMandate;
let platformAdminId: string;
/** Named as owner by the create-mandate form: no mandate may ever get them. */
let ownerToBe: { id: string; email: string };
let aKeyId: string;
let aMemberMembershipId: string;
let bMemberMembershipId: string;
/** An active plan: what a valid choose or grant form names. */
let planId: string;
/** Names and e-mails the valid forms carry, so that anything they created would be found. */
const tag = randomUUID().slice(0, 8);

beforeAll(async () => {
  let ownerToBeId: string;
  [a, b, platformAdminId, ownerToBeId] = await Promise.all([
    createTestMandate({ balance: "10" }),
    createTestMandate({ balance: "10" }),
    createPlatformAdmin(),
    createTestUser("owner-to-be"),
  ]);
  ownerToBe = { id: ownerToBeId, email: await userEmail(ownerToBeId) };
  aKeyId = (await createApiKey({ name: "A's key", mandateId: a.mandateId })).id;
  planId = (
    await savePlan({
      code: `fuzz-${tag}`,
      nameDe: "Fuzz",
      nameEn: "Fuzz",
      monthlyPriceCHF: "10.00",
      aiBudgetCHF: "5.00",
      includedStorageMB: "100",
      active: true,
    })
  ).id;
  [aMemberMembershipId, bMemberMembershipId] = await Promise.all([
    membershipIdOf(a.mandateId, a.memberId),
    membershipIdOf(b.mandateId, b.memberId),
  ]);
});

// ---------------------------------------------------------------------------------------------
// Who is signed in, and which mandate the action is bound to.

/** The bound mandate id: A, B, unknown, no UUID, or (as a crafted request may send) no string. */
type Target = "A" | "B" | "unknown" | { raw: unknown };
const target: fc.Arbitrary<Target> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<Target>("A") },
  { weight: 1, arbitrary: fc.constantFrom<Target>("B", "unknown") },
  { weight: 1, arbitrary: badId.map((raw): Target => ({ raw })) },
  {
    weight: 1,
    // Chained: A exists only once beforeAll has run.
    arbitrary: fc
      .constant(null)
      .chain(() => fc.constantFrom<unknown>(42, null, undefined, {}, [a.mandateId]))
      .map((raw): Target => ({ raw })),
  },
);
const mandateIdOf = (t: Target): string =>
  // A crafted request can bind any serializable value; the action's type cannot stop it.
  (t === "A" ? a.mandateId : t === "B" ? b.mandateId : t === "unknown" ? randomUUID() : t.raw) as string;

// ---------------------------------------------------------------------------------------------
// Forms: a valid one per action, and what breaks each field.

type FormValue = string | string[];
type Form = Record<string, FormValue>;

interface FieldSpec {
  bad: fc.Arbitrary<FormValue>;
  /** Whether an absent field (or a file, which the form reader skips) is wrong too; not where blank means "none". */
  absentIsWrong: boolean;
}

type Corruption = { field: string; value: FormValue } | { field: string; absent: "missing" | "file" };

function corruption(fields: Record<string, FieldSpec>): fc.Arbitrary<Corruption> {
  return fc.constantFrom(...Object.entries(fields)).chain(([field, spec]) =>
    spec.absentIsWrong
      ? fc.oneof(
          { weight: 4, arbitrary: spec.bad.map((value): Corruption => ({ field, value })) },
          {
            weight: 1,
            arbitrary: fc.constantFrom<Corruption>({ field, absent: "missing" }, { field, absent: "file" }),
          },
        )
      : spec.bad.map((value): Corruption => ({ field, value })),
  );
}

/** The valid form with 1-3 fields broken, an unknown field now and then, as FormData. */
function corruptedForm(valid: () => Form, fields: Record<string, FieldSpec>): fc.Arbitrary<FormData> {
  return fc
    .tuple(
      fc.array(corruption(fields), { minLength: 1, maxLength: 3 }),
      fc.option(fc.tuple(fc.string({ minLength: 1 }), fc.oneof(fc.string(), badText)), { nil: undefined }),
    )
    .map(([changes, extra]) => {
      const form = valid();
      const files = new Set<string>();
      for (const change of changes) {
        delete form[change.field];
        if ("value" in change) form[change.field] = change.value;
        else if (change.absent === "file") files.add(change.field);
      }
      const data = toFormData(form);
      for (const field of files) data.append(field, new Blob(["1"]), "upload.txt");
      if (extra && !(extra[0] in fields)) data.append(extra[0], extra[1]);
      return withPrintableEntries(data);
    });
}

function toFormData(form: Form): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(form)) {
    for (const entry of Array.isArray(value) ? value : [value]) data.append(name, entry);
  }
  return data;
}

/** So that a counterexample shows the form's entries, not "[object FormData]". */
function withPrintableEntries(data: FormData): FormData {
  const entries = () =>
    [...data.entries()].map(([name, value]) => [name, typeof value === "string" ? value.slice(0, 80) : "<file>"]);
  return Object.defineProperty(data, fc.toStringMethod, { value: () => `FormData ${fc.stringify(entries())}` });
}

/** What a crafted request may bind where a FormData belongs. */
const notFormData = fc.constantFrom<unknown>(
  "name=x",
  42,
  null,
  undefined,
  {},
  [],
  { get: 1 },
  new URLSearchParams("a=1"),
);

const badName = (max: number) => fc.oneof(badFormText, fc.constantFrom("", " ", "a", " a ", "x".repeat(max + 1)));
const badRole = fc.oneof(fc.constantFrom("owner", "SUPERUSER", "", "MEMBER ", "__proto__"), badText);
const badUuid: FieldSpec = { bad: badId, absentIsWrong: true };

interface ActionCase {
  name: string;
  valid: () => Form;
  fields: Record<string, FieldSpec>;
  call: (mandateId: string, form: FormData) => Promise<unknown>;
}

const ACTIONS: ActionCase[] = [
  {
    name: "createMandateAction",
    valid: () => ({ name: `Fuzz mandate ${tag}`, ownerEmail: ownerToBe.email, allowedProviders: ["openai"] }),
    fields: {
      name: { bad: badName(100), absentIsWrong: true },
      // Blank means "no owner", so only addresses that are wrong.
      ownerEmail: { bad: badEmail, absentIsWrong: false },
      allowedProviders: {
        bad: fc.oneof(
          fc.constantFrom<FormValue>(["OpenAI"], ["x"], ["openai", ""]),
          badText.map((t) => ["openai", t]),
        ),
        absentIsWrong: false,
      },
    },
    call: (_, form) => createMandateAction(IDLE_FORM_STATE, form),
  },
  {
    name: "createApiKeyAction",
    valid: () => ({ name: `Fuzz key ${tag}`, scope: a.mandateId }),
    fields: {
      name: { bad: badName(100), absentIsWrong: true },
      scope: { bad: fc.oneof(badId, fc.constantFrom("PLATFORM", "platform ", "")), absentIsWrong: true },
    },
    call: (_, form) => createApiKeyAction(IDLE_FORM_STATE, form),
  },
  {
    name: "bookManualTransactionAction",
    valid: () => ({ type: "CREDIT", amount: "1.50", reason: `Fuzz booking ${tag}`, idempotencyKey: randomUUID() }),
    fields: {
      type: { bad: fc.oneof(fc.constantFrom("DEBIT", "credit", ""), badText), absentIsWrong: true },
      amount: {
        bad: fc.oneof(badDecimal, fc.constantFrom("0", "-0", "0.0000001", "100000.000001", "-5", "1e2")),
        absentIsWrong: true,
      },
      reason: { bad: badName(500), absentIsWrong: true },
      idempotencyKey: badUuid,
    },
    call: (mandateId, form) => bookManualTransactionAction(mandateId, IDLE_FORM_STATE, form),
  },
  {
    name: "saveBillingSettingsAction",
    // A valid save would change the threshold (the default is 10%), so a wrongly accepted one shows.
    valid: () => ({
      warningThresholdPercent: "55",
      notifyOnWarning: "on",
      notifyEmails: "ops@example.ch",
      rechargeAmountCHF: "20.00",
      rechargeMaxPerMonth: "3",
      locale: "de",
      settingsVersion: "0",
    }),
    fields: {
      warningThresholdPercent: {
        bad: fc.oneof(badDecimal, fc.constantFrom("100.01", "101", "-0.01", "1.234", "1e1")),
        absentIsWrong: true,
      },
      rechargeAmountCHF: { bad: fc.oneof(badDecimal, fc.constantFrom("9.99", "1000.01", "1e3")), absentIsWrong: true },
      rechargeMaxPerMonth: {
        bad: fc.oneof(fc.constantFrom("32", "-1", "1.5", "1e1", "9999", "٣", "0x1"), badText),
        absentIsWrong: true,
      },
      // Blank means "nobody"; a list of 21 is one too many.
      notifyEmails: {
        bad: fc.oneof(badEmail, fc.constant(Array.from({ length: 21 }, (_, i) => `n${i}@example.ch`).join("\n"))),
        absentIsWrong: false,
      },
      locale: { bad: fc.oneof(fc.constantFrom("fr", "DE", "de-CH", ""), badText), absentIsWrong: true },
      settingsVersion: {
        bad: fc.oneof(fc.constantFrom("-1", "1.5", "abc", "1e3", "9999999999"), badText),
        absentIsWrong: true,
      },
    },
    call: (mandateId, form) => saveBillingSettingsAction(mandateId, IDLE_FORM_STATE, form),
  },
  {
    name: "addMemberAction",
    valid: () => ({ email: `fuzz-${tag}-${randomUUID()}@test.invalid`, name: "Fuzz Person", role: "MEMBER" }),
    fields: {
      email: { bad: badEmail, absentIsWrong: true },
      // Blank means "use the e-mail".
      name: { bad: fc.oneof(badFormText, fc.constant("x".repeat(201))), absentIsWrong: false },
      role: { bad: badRole, absentIsWrong: true },
    },
    call: (mandateId, form) => addMemberAction(mandateId, IDLE_FORM_STATE, form),
  },
  {
    name: "changeMemberRoleAction",
    valid: () => ({ membershipId: aMemberMembershipId, role: "ADMIN" }),
    fields: { membershipId: badUuid, role: { bad: badRole, absentIsWrong: true } },
    call: (mandateId, form) => changeMemberRoleAction(mandateId, IDLE_FORM_STATE, form),
  },
  {
    name: "choosePlanAction",
    valid: () => ({ planId }),
    fields: { planId: badUuid },
    call: (mandateId, form) => choosePlanAction(mandateId, IDLE_FORM_STATE, form),
  },
  {
    name: "grantPlanAction",
    valid: () => ({ planId, reason: `Fuzz grant ${tag}` }),
    fields: { planId: badUuid, reason: { bad: badName(500), absentIsWrong: true } },
    call: (mandateId, form) => grantPlanAction(mandateId, IDLE_FORM_STATE, form),
  },
  {
    name: "savePlanAction",
    valid: () => ({
      mode: "create",
      code: `fuzz-new-${tag}`,
      nameDe: "Neu",
      nameEn: "New",
      monthlyPriceCHF: "10.00",
      aiBudgetCHF: "5.00",
      includedStorageMB: "100",
      active: "on",
    }),
    fields: {
      mode: { bad: fc.oneof(fc.constantFrom("CREATE", "delete", ""), badText), absentIsWrong: true },
      code: {
        bad: fc.oneof(fc.constantFrom("Starter", "-x", "a b", "x".repeat(41), ""), badText),
        absentIsWrong: true,
      },
      nameDe: { bad: badName(80), absentIsWrong: true },
      monthlyPriceCHF: { bad: fc.oneof(badDecimal, fc.constantFrom("1.234", "-1", "1e2")), absentIsWrong: true },
      aiBudgetCHF: { bad: fc.oneof(badDecimal, fc.constantFrom("0.001", "-5")), absentIsWrong: true },
      includedStorageMB: { bad: fc.oneof(badDecimal, fc.constantFrom("-1", "1e3")), absentIsWrong: true },
    },
    call: (_, form) => savePlanAction(IDLE_FORM_STATE, form),
  },
  {
    name: "removeMemberAction",
    valid: () => ({ membershipId: aMemberMembershipId }),
    fields: { membershipId: badUuid },
    call: (mandateId, form) => removeMemberAction(mandateId, IDLE_FORM_STATE, form),
  },
];

// ---------------------------------------------------------------------------------------------
// Nothing changed: both mandates, their people, and whatever a valid form would have created.

async function everything(): Promise<unknown> {
  const [mandateA, mandateB, created] = await Promise.all([
    snapshotMandate(a.mandateId, [a.ownerId, a.adminId, a.memberId, platformAdminId, ownerToBe.id]),
    snapshotMandate(b.mandateId, [b.ownerId, b.adminId, b.memberId]),
    // A new mandate would have ownerToBe as owner: the create form never names anyone else.
    countCreated({ memberUserId: ownerToBe.id, apiKeyCreatorId: platformAdminId, tag, emailPrefix: `fuzz-${tag}` }),
  ]);
  return { mandateA, mandateB, created, cookiesSet: cookiesSet.length };
}

function expectRefusedAsInvalid(answer: unknown) {
  expect(answer).toMatchObject({ ok: false, code: "VALIDATION_FAILED" });
  // Refused at the edge, field by field, not by the database after the fact.
  expect(Object.keys((answer as { fields?: object }).fields ?? {}).length, JSON.stringify(answer)).toBeGreaterThan(0);
}

describe("server action fuzz: malformed forms are refused field by field and change nothing", () => {
  it.each(ACTIONS)("$name", async (action) => {
    const before = await everything();
    const form = fc.oneof(
      { weight: 9, arbitrary: corruptedForm(action.valid, action.fields) },
      { weight: 1, arbitrary: notFormData.map((value) => value as FormData) },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...TWO_MANDATE_SESSIONS), target, form, async (session, t, data) => {
        signInAs(session, { a, b, platformAdminId });
        expectRefusedAsInvalid(await action.call(mandateIdOf(t), data));
        // Checked per call, so that a change shows the input that made it.
        expect(await everything()).toEqual(before);
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
  });

  it("revokeApiKeyAction", async () => {
    const before = await everything();
    const id = fc.oneof(badId, fc.constantFrom<unknown>(42, null, undefined, {}, [aKeyId], { id: aKeyId }));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...TWO_MANDATE_SESSIONS), id, async (session, value) => {
        signInAs(session, { a, b, platformAdminId });
        expectRefusedAsInvalid(await revokeApiKeyAction(value as string));
        expect(await everything()).toEqual(before);
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
  });

  it("setLocaleAction answers nothing, sets no cookie and keeps the saved language", async () => {
    const before = await everything();
    const locale = fc.oneof(fc.constantFrom("fr", "", "DE", "en ", "__proto__"), badText);
    const form = fc.oneof(
      { weight: 9, arbitrary: locale.map((value) => withPrintableEntries(toFormData({ locale: value }))) },
      { weight: 1, arbitrary: notFormData.map((value) => value as FormData) },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...TWO_MANDATE_SESSIONS), form, async (session, data) => {
        signInAs(session, { a, b, platformAdminId });
        await expect(setLocaleAction(data)).resolves.toBeUndefined();
        expect(await everything()).toEqual(before);
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Valid forms from people who may not send them.

const expectRefused = (answer: unknown, code: (typeof ERROR_CODES)[number]) =>
  expect(answer).toMatchObject({ ok: false, code });

describe("server actions: valid forms for another mandate, or below the role, are refused and change nothing", () => {
  const byName = (name: string) => ACTIONS.find((action) => action.name === name)!;
  const mandateActions = [
    "saveBillingSettingsAction",
    "addMemberAction",
    "changeMemberRoleAction",
    "removeMemberAction",
  ];

  it.each(mandateActions)("%s: A's people get NOT_FOUND for B, an unknown or malformed id", async (name) => {
    const action = byName(name);
    const before = await everything();
    for (const userId of [a.ownerId, a.adminId, a.memberId]) {
      signIn(userId);
      for (const mandateId of [b.mandateId, randomUUID(), "not-a-uuid", "\u0000"]) {
        expectRefused(await action.call(mandateId, toFormData(action.valid())), "NOT_FOUND");
      }
    }
    signIn(null);
    expectRefused(await action.call(a.mandateId, toFormData(action.valid())), "UNAUTHENTICATED");
    expect(await everything()).toEqual(before);
  });

  it.each(mandateActions)("%s: below the role on A is FORBIDDEN", async (name) => {
    const action = byName(name);
    const before = await everything();
    // Settings need an ADMIN, members an OWNER.
    const below = name === "saveBillingSettingsAction" ? [a.memberId] : [a.memberId, a.adminId];
    for (const userId of below) {
      signIn(userId);
      expectRefused(await action.call(a.mandateId, toFormData(action.valid())), "FORBIDDEN");
    }
    expect(await everything()).toEqual(before);
  });

  it("a membership of B is NOT_FOUND for A's owner, whose own mandate is in the URL", async () => {
    const before = await everything();
    signIn(a.ownerId);
    const ofB = { membershipId: bMemberMembershipId };
    expectRefused(
      await changeMemberRoleAction(a.mandateId, IDLE_FORM_STATE, toFormData({ ...ofB, role: "OWNER" })),
      "NOT_FOUND",
    );
    expectRefused(await removeMemberAction(a.mandateId, IDLE_FORM_STATE, toFormData(ofB)), "NOT_FOUND");
    expect(await everything()).toEqual(before);
  });

  it.each(["createMandateAction", "createApiKeyAction", "bookManualTransactionAction"])(
    "%s: FORBIDDEN for anyone but a platform admin, UNAUTHENTICATED signed out",
    async (name) => {
      const action = byName(name);
      const before = await everything();
      for (const userId of [a.ownerId, a.adminId, a.memberId, b.ownerId]) {
        signIn(userId);
        expectRefused(await action.call(a.mandateId, toFormData(action.valid())), "FORBIDDEN");
      }
      signIn(null);
      expectRefused(await action.call(a.mandateId, toFormData(action.valid())), "UNAUTHENTICATED");
      expect(await everything()).toEqual(before);
    },
  );

  it("revokeApiKeyAction: FORBIDDEN for A's owner, and the key stays active", async () => {
    const before = await everything();
    signIn(a.ownerId);
    expectRefused(await revokeApiKeyAction(aKeyId), "FORBIDDEN");
    expect(await everything()).toEqual(before);
  });

  it("bookManualTransactionAction: a platform admin's booking for an unknown or malformed mandate is NOT_FOUND", async () => {
    const before = await everything();
    signIn(platformAdminId);
    for (const mandateId of [randomUUID(), "not-a-uuid", "\u0000"]) {
      expectRefused(
        await bookManualTransactionAction(
          mandateId,
          IDLE_FORM_STATE,
          toFormData(byName("bookManualTransactionAction").valid()),
        ),
        "NOT_FOUND",
      );
    }
    expect(await everything()).toEqual(before);
  });
});

/**
 * What the demo's AI traffic is made of: models with their prices, features with their typical
 * request sizes, and the two demo mandates' usage profiles. Plain data, so the numbers that
 * shape the demo sit in one place and the planner stays generic.
 */

/** "consultant": a MEMBER of both demo mandates, who books nothing (shows the picker without pool figures). */
export type DemoUserRef = "owner" | "admin" | "member" | "consultant";
export type DemoProvider = "anthropic" | "openai" | "mistral" | "google";
export type DemoFeatureCode = "chat" | "automation" | "workspace" | "documents";

export interface DemoModel {
  provider: DemoProvider;
  model: string;
  /**
   * Price charged to the mandate in CHF per million tokens (decimal strings): the provider's
   * list price plus the platform's default 50% markup, which is why providerCost = price / 1.5.
   */
  inputPerMillion: string;
  outputPerMillion: string;
  /** Generation speed, only for a plausible processingTime. */
  outputTokensPerSecond: number;
}

export const DEMO_MODELS = {
  "claude-4-sonnet": {
    provider: "anthropic",
    model: "claude-4-sonnet",
    inputPerMillion: "4.5",
    outputPerMillion: "22.5",
    outputTokensPerSecond: 70,
  },
  "claude-4-haiku": {
    provider: "anthropic",
    model: "claude-4-haiku",
    inputPerMillion: "1.2",
    outputPerMillion: "6",
    outputTokensPerSecond: 150,
  },
  "gpt-4o": {
    provider: "openai",
    model: "gpt-4o",
    inputPerMillion: "3.75",
    outputPerMillion: "15",
    outputTokensPerSecond: 90,
  },
  "gpt-4o-mini": {
    provider: "openai",
    model: "gpt-4o-mini",
    inputPerMillion: "0.225",
    outputPerMillion: "0.9",
    outputTokensPerSecond: 120,
  },
  "mistral-large": {
    provider: "mistral",
    model: "mistral-large",
    inputPerMillion: "3",
    outputPerMillion: "9",
    outputTokensPerSecond: 60,
  },
  "mistral-small": {
    provider: "mistral",
    model: "mistral-small",
    inputPerMillion: "0.3",
    outputPerMillion: "0.9",
    outputTokensPerSecond: 140,
  },
  "gemini-2.5-pro": {
    provider: "google",
    model: "gemini-2.5-pro",
    inputPerMillion: "1.875",
    outputPerMillion: "15",
    outputTokensPerSecond: 80,
  },
  "gemini-2.5-flash": {
    provider: "google",
    model: "gemini-2.5-flash",
    inputPerMillion: "0.45",
    outputPerMillion: "3.75",
    outputTokensPerSecond: 200,
  },
} as const satisfies Record<string, DemoModel>;

export type DemoModelName = keyof typeof DEMO_MODELS;

export interface DemoFeature {
  code: DemoFeatureCode;
  instances: readonly { featureInstanceId: string; workflowIds: readonly string[] }[];
  models: readonly (readonly [DemoModelName, number])[];
  /** Median tokens and log-normal spread: most calls are small, a few are very large. */
  inputMedian: number;
  inputSigma: number;
  outputMedian: number;
  outputSigma: number;
  /** Share of calls run by schedulers at night rather than by people during office hours. */
  nightShare: number;
}

export const DEMO_FEATURES: Record<DemoFeatureCode, DemoFeature> = {
  chat: {
    code: "chat",
    instances: [
      { featureInstanceId: "fi-chat-assistant", workflowIds: ["wf-chat-general", "wf-chat-knowledge-base"] },
      { featureInstanceId: "fi-chat-support", workflowIds: ["wf-support-answer", "wf-support-triage"] },
    ],
    models: [
      ["claude-4-sonnet", 30],
      ["gpt-4o", 20],
      ["gpt-4o-mini", 20],
      ["gemini-2.5-flash", 15],
      ["mistral-small", 10],
      ["claude-4-haiku", 5],
    ],
    inputMedian: 3_000,
    inputSigma: 0.7,
    outputMedian: 500,
    outputSigma: 0.6,
    nightShare: 0.02,
  },
  automation: {
    code: "automation",
    instances: [
      { featureInstanceId: "fi-auto-invoices", workflowIds: ["wf-invoice-extract", "wf-invoice-booking"] },
      { featureInstanceId: "fi-auto-leads", workflowIds: ["wf-lead-enrichment"] },
      { featureInstanceId: "fi-auto-mailbox", workflowIds: ["wf-mail-classify", "wf-mail-draft-reply"] },
    ],
    models: [
      ["claude-4-haiku", 35],
      ["gpt-4o-mini", 30],
      ["gemini-2.5-flash", 20],
      ["mistral-small", 15],
    ],
    inputMedian: 5_000,
    inputSigma: 0.6,
    outputMedian: 800,
    outputSigma: 0.5,
    nightShare: 0.35,
  },
  workspace: {
    code: "workspace",
    instances: [
      { featureInstanceId: "fi-ws-marketing", workflowIds: ["wf-ws-draft", "wf-ws-rewrite"] },
      { featureInstanceId: "fi-ws-engineering", workflowIds: ["wf-ws-code-review", "wf-ws-spec"] },
    ],
    models: [
      ["claude-4-sonnet", 35],
      ["gpt-4o", 25],
      ["mistral-large", 20],
      ["gemini-2.5-pro", 20],
    ],
    inputMedian: 20_000,
    inputSigma: 0.8,
    outputMedian: 2_200,
    outputSigma: 0.6,
    nightShare: 0.01,
  },
  documents: {
    code: "documents",
    instances: [
      { featureInstanceId: "fi-docs-contracts", workflowIds: ["wf-contract-review", "wf-contract-summary"] },
      { featureInstanceId: "fi-docs-hr", workflowIds: ["wf-policy-qa"] },
    ],
    models: [
      ["gemini-2.5-pro", 30],
      ["claude-4-sonnet", 25],
      ["gemini-2.5-flash", 25],
      ["mistral-large", 20],
    ],
    inputMedian: 70_000,
    inputSigma: 1,
    outputMedian: 2_500,
    outputSigma: 0.6,
    nightShare: 0.1,
  },
};

/** How one demo mandate uses AI and pays for it. */
export interface DemoUsageProfile {
  /** PRNG seed: one per mandate, so changing one mandate's profile leaves the other's events as they were. */
  seed: string;
  /** At most this many days of history (the seed's `days` option may shorten it further). */
  maxDays: number;
  weekdayCalls: number;
  weekendCalls: number;
  /** Volume factor at the start and at the end of GROWTH_HORIZON_DAYS (adoption grows). */
  growthFrom: number;
  growthTo: number;
  features: readonly (readonly [DemoFeatureCode, number])[];
  /** Restricts the features' models to these providers (the mandate's allowedProviders). */
  providers: readonly DemoProvider[];
  users: readonly (readonly [DemoUserRef, number])[];
  /** Who pays the top-ups. */
  payer: DemoUserRef;
  initialCredit: string;
  topUpAmounts: readonly (readonly [string, number])[];
  /** A top-up is paid before a call would take the pool below this. */
  topUpBelow: string;
  /** The pool balance at the end of the history lies in this range. */
  finalBalanceMin: string;
  finalBalanceMax: string;
}

/** Growth is measured against six months back from `now`, so a short seed looks like the tail of the long one. */
export const GROWTH_HORIZON_DAYS = 182;

export const DEMO_AG_PROFILE: DemoUsageProfile = {
  seed: "demo-ag",
  maxDays: GROWTH_HORIZON_DAYS,
  weekdayCalls: 135,
  weekendCalls: 30,
  growthFrom: 0.6,
  growthTo: 1.4,
  features: [
    ["chat", 45],
    ["automation", 25],
    ["workspace", 18],
    ["documents", 12],
  ],
  providers: ["anthropic", "openai", "mistral", "google"],
  users: [
    ["owner", 20],
    ["admin", 35],
    ["member", 45],
  ],
  payer: "owner",
  initialCredit: "100",
  topUpAmounts: [
    ["200", 30],
    ["300", 45],
    ["500", 25],
  ],
  topUpBelow: "20",
  finalBalanceMin: "60",
  finalBalanceMax: "150",
};

export const MUSTER_PROFILE: DemoUsageProfile = {
  seed: "muster-gmbh",
  maxDays: 30,
  weekdayCalls: 9,
  weekendCalls: 1,
  growthFrom: 1,
  growthTo: 1,
  features: [
    ["chat", 70],
    ["documents", 30],
  ],
  providers: ["mistral", "openai"],
  users: [["owner", 1]],
  payer: "owner",
  initialCredit: "50",
  topUpAmounts: [["100", 1]],
  topUpBelow: "10",
  finalBalanceMin: "20",
  finalBalanceMax: "45",
};

import type {
  MandateRole,
  PaymentKind,
  PaymentStatus,
  PeriodType,
  ReferenceType,
  TransactionType,
} from "@/lib/db/generated/enums";
import type { Localized } from "./types";

/** Value labels of the enums shown in tables, filters and chart legends. */
export const ENUM_LABELS: {
  TransactionType: Record<TransactionType, Localized>;
  ReferenceType: Record<ReferenceType, Localized>;
  PeriodType: Record<PeriodType, Localized>;
  MandateRole: Record<MandateRole, Localized>;
  PaymentStatus: Record<PaymentStatus, Localized>;
  PaymentKind: Record<PaymentKind, Localized>;
} = {
  TransactionType: {
    CREDIT: { de: "Gutschrift", en: "Credit" },
    DEBIT: { de: "Belastung", en: "Debit" },
    ADJUSTMENT: { de: "Korrektur", en: "Adjustment" },
  },
  ReferenceType: {
    WORKFLOW: { de: "AI-Workflow", en: "AI workflow" },
    PAYMENT: { de: "Zahlung", en: "Payment" },
    ADMIN: { de: "Admin-Korrektur", en: "Admin adjustment" },
    SYSTEM: { de: "System", en: "System" },
    STORAGE: { de: "Speicher", en: "Storage" },
    SUBSCRIPTION: { de: "Abonnement", en: "Subscription" },
  },
  PeriodType: {
    DAY: { de: "Tag", en: "Day" },
    MONTH: { de: "Monat", en: "Month" },
    YEAR: { de: "Jahr", en: "Year" },
  },
  MandateRole: {
    OWNER: { de: "Inhaber/in", en: "Owner" },
    ADMIN: { de: "Administrator/in", en: "Admin" },
    MEMBER: { de: "Mitglied", en: "Member" },
  },
  PaymentStatus: {
    PENDING: { de: "Offen", en: "Pending" },
    PROCESSING: { de: "In Bearbeitung", en: "Processing" },
    PAID: { de: "Bezahlt", en: "Paid" },
    FAILED: { de: "Fehlgeschlagen", en: "Failed" },
    EXPIRED: { de: "Abgelaufen", en: "Expired" },
  },
  PaymentKind: {
    TOP_UP: { de: "Aufladung", en: "Top-up" },
    AUTO_RECHARGE: { de: "Automatische Nachladung", en: "Automatic recharge" },
  },
};

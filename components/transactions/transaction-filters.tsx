"use client";

import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { featureName, providerName } from "@/components/display/display-names";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { TransactionFilterOptions } from "@/lib/dashboard/get-transaction-filter-options";
import { ReferenceType, TransactionType } from "@/lib/db/generated/enums";
import type { Locale } from "@/lib/i18n/config";
import { enumLabel, fieldLabel } from "@/lib/i18n/model-metadata";
import styles from "./transactions.module.css";
import type { TransactionUrlKey, TransactionUrlState } from "./transaction-url";

interface TransactionFiltersProps {
  state: TransactionUrlState;
  options: TransactionFilterOptions;
  /** Owners and admins filter by user; a MEMBER's list is theirs alone. */
  showUserFilter: boolean;
  locale: Locale;
  onApply: (filters: TransactionUrlState) => void;
}

const FILTER_KEYS: TransactionUrlKey[] = [
  "type",
  "referenceType",
  "provider",
  "feature",
  "model",
  "user",
  "from",
  "to",
];

/**
 * The filter form. Uncontrolled, re-mounted by the parent when the URL changes (key), so the
 * fields always show what the list is filtered by; applied on submit, not per keystroke.
 */
export function TransactionFilters({ state, options, showUserFilter, locale, onApply }: TransactionFiltersProps) {
  const { t } = useTranslation("billing");
  const label = (
    field: "transactionType" | "referenceType" | "aicoreProvider" | "aicoreModel" | "featureCode" | "createdByUserId",
  ) => fieldLabel("BillingTransaction", field, locale);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const filters: TransactionUrlState = {};
    for (const key of FILTER_KEYS) {
      const value = form.get(key);
      if (typeof value === "string" && value.trim()) filters[key] = value.trim();
    }
    onApply(filters);
  };
  const select = (name: TransactionUrlKey, text: string, choices: { value: string; label: string }[]) => (
    <FormField label={text}>
      {(p) => (
        <Select {...p} name={name} defaultValue={state[name] ?? ""} data-testid={`filter-${name}`}>
          <option value="">{t("transactions.all")}</option>
          {choices.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </Select>
      )}
    </FormField>
  );
  return (
    <form
      className={styles.filters}
      onSubmit={submit}
      aria-label={t("transactions.filters")}
      data-testid="transaction-filters"
    >
      {select(
        "type",
        label("transactionType"),
        Object.values(TransactionType).map((value) => ({ value, label: enumLabel("TransactionType", value, locale) })),
      )}
      {select(
        "referenceType",
        label("referenceType"),
        Object.values(ReferenceType).map((value) => ({ value, label: enumLabel("ReferenceType", value, locale) })),
      )}
      {select(
        "provider",
        label("aicoreProvider"),
        withCurrent(options.providers, state.provider).map((value) => ({ value, label: providerName(t, value) })),
      )}
      {select(
        "feature",
        label("featureCode"),
        withCurrent(options.features, state.feature).map((value) => ({ value, label: featureName(t, value) })),
      )}
      <FormField label={label("aicoreModel")}>
        {(p) => (
          <Input {...p} name="model" defaultValue={state.model ?? ""} maxLength={200} data-testid="filter-model" />
        )}
      </FormField>
      {showUserFilter
        ? select(
            "user",
            label("createdByUserId"),
            options.users.map((user) => ({ value: user.id, label: user.name })),
          )
        : null}
      <FormField label={t("transactions.from")}>
        {(p) => <Input {...p} type="date" name="from" defaultValue={state.from ?? ""} data-testid="filter-from" />}
      </FormField>
      <FormField label={t("transactions.to")}>
        {(p) => <Input {...p} type="date" name="to" defaultValue={state.to ?? ""} data-testid="filter-to" />}
      </FormField>
      <div className={styles.filterActions}>
        <Button type="submit" data-testid="filter-apply">
          {t("transactions.apply")}
        </Button>
        <Button variant="secondary" onClick={() => onApply({})} data-testid="filter-reset">
          {t("transactions.reset")}
        </Button>
      </div>
    </form>
  );
}

/** The options plus the URL's current value, so a filter from a shared link is shown even if not yet rolled up. */
function withCurrent(values: string[], current: string | undefined): string[] {
  return current && !values.includes(current) ? [...values, current] : values;
}

"use client";

import { useId, type FormEvent } from "react";
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
  /** The server's reasons for refusing the URL's filters, by field. */
  errors: Partial<Record<TransactionUrlKey, string>>;
  onApply: (filters: TransactionUrlState) => void;
}

const QUICK_RANGES = ["today", "thisMonth", "lastMonth", "last30Days"] as const;

const FILTER_KEYS: TransactionUrlKey[] = [
  "q",
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
export function TransactionFilters({
  state,
  options,
  showUserFilter,
  locale,
  errors,
  onApply,
}: TransactionFiltersProps) {
  const { t } = useTranslation("billing");
  const rangeErrorId = useId();
  const label = (
    field: "transactionType" | "referenceType" | "aicoreProvider" | "aicoreModel" | "featureCode" | "createdByUserId",
  ) => fieldLabel("BillingTransaction", field, locale);
  const read = (form: HTMLFormElement): TransactionUrlState => {
    const data = new FormData(form);
    const filters: TransactionUrlState = {};
    for (const key of FILTER_KEYS) {
      const value = data.get(key);
      if (typeof value === "string" && value.trim()) filters[key] = value.trim();
    }
    return filters;
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const filters = read(event.currentTarget);
    // Dates typed in replace a quick range; without dates the range stays.
    const range = filters.from || filters.to ? undefined : state.range;
    onApply({ ...filters, range });
  };
  // A quick range applies at once, with the other fields as they stand, and replaces the dates.
  const applyRange = (form: HTMLFormElement | null, range: (typeof QUICK_RANGES)[number]) => {
    const filters = form ? read(form) : {};
    onApply({ ...filters, from: undefined, to: undefined, range: state.range === range ? undefined : range });
  };
  const select = (name: TransactionUrlKey, text: string, choices: { value: string; label: string }[]) => (
    <FormField label={text} error={errors[name]}>
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
      <div className={styles.searchField}>
        <FormField label={t("transactions.search")} hint={t("transactions.searchHint")} error={errors.q}>
          {(p) => (
            <Input {...p} type="search" name="q" defaultValue={state.q ?? ""} maxLength={200} data-testid="filter-q" />
          )}
        </FormField>
      </div>
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
      <FormField label={label("aicoreModel")} error={errors.model}>
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
      <FormField label={t("transactions.from")} error={errors.from}>
        {(p) => <Input {...p} type="date" name="from" defaultValue={state.from ?? ""} data-testid="filter-from" />}
      </FormField>
      <FormField label={t("transactions.to")} error={errors.to}>
        {(p) => <Input {...p} type="date" name="to" defaultValue={state.to ?? ""} data-testid="filter-to" />}
      </FormField>
      <fieldset className={styles.quickRanges} aria-describedby={errors.range ? rangeErrorId : undefined}>
        <legend className={styles.quickRangesLegend}>{t("transactions.quickRanges")}</legend>
        {QUICK_RANGES.map((range) => (
          <Button
            key={range}
            variant={state.range === range ? "primary" : "secondary"}
            size="small"
            aria-pressed={state.range === range}
            onClick={(event) => applyRange(event.currentTarget.form, range)}
            data-testid={`range-${range}`}
          >
            {t(`transactions.range.${range}`)}
          </Button>
        ))}
        {errors.range ? (
          <p id={rangeErrorId} className={styles.error}>
            {errors.range}
          </p>
        ) : null}
      </fieldset>
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

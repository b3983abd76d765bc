"use client";

import { useTranslation } from "react-i18next";
import { featureName } from "@/components/display/display-names";
import type { Locale } from "@/lib/i18n/config";
import { toChartValue } from "@/lib/stats/chart-value";
import { CostBarChart } from "./cost-bar-chart";

interface CostByFeatureChartProps {
  /** The period's totals by feature code, decimal strings. */
  byFeature: Record<string, string>;
  currency: string;
  locale: Locale;
}

/** The period's cost per feature, largest first. */
export function CostByFeatureChart({ byFeature, currency, locale }: CostByFeatureChartProps) {
  const { t } = useTranslation("billing");
  // Ordered by bar length, i.e. by the chart value: an order for the eye, not a money comparison.
  const bars = Object.entries(byFeature)
    .map(([feature, amount]) => ({ key: feature, name: featureName(t, feature), amount, value: toChartValue(amount) }))
    .sort((a, b) => b.value - a.value || a.key.localeCompare(b.key));
  return <CostBarChart bars={bars} currency={currency} locale={locale} />;
}

"use client";

import { useTranslation } from "react-i18next";
import { Bar, BarChart, CartesianGrid, Cell, Tooltip, XAxis, YAxis } from "recharts";
import { featureName } from "@/components/display/display-names";
import { seriesColor } from "@/components/display/series-color";
import type { Locale } from "@/lib/i18n/config";
import { formatMoney } from "@/lib/money/format";
import { toChartValue } from "@/lib/stats/chart-value";
import { axisTickFormatter, axisUnit } from "./axis-format";
import { ChartTooltipBox } from "./chart-frame";

interface CostByFeatureChartProps {
  /** The period's totals by feature code, decimal strings. */
  byFeature: Record<string, string>;
  currency: string;
  locale: Locale;
}

/** The period's cost per feature, largest first, as horizontal bars. */
export function CostByFeatureChart({ byFeature, currency, locale }: CostByFeatureChartProps) {
  const { t } = useTranslation("billing");
  // Ordered by bar length, i.e. by the chart value: an order for the eye, not a money comparison.
  const rows = Object.entries(byFeature)
    .map(([feature, amount]) => ({ feature, name: featureName(t, feature), amount, value: toChartValue(amount) }))
    .sort((a, b) => b.value - a.value || a.feature.localeCompare(b.feature));
  const byName = new Map(rows.map((row) => [row.name, row]));
  return (
    <BarChart
      responsive
      layout="vertical"
      data={rows}
      style={{ width: "100%", height: Math.max(160, rows.length * 44 + 60) }}
      margin={{ left: 8, right: 24, bottom: 16 }}
    >
      <CartesianGrid strokeDasharray="3 3" horizontal={false} />
      <XAxis
        type="number"
        tickFormatter={axisTickFormatter(locale)}
        tick={{ fontSize: 12 }}
        label={axisUnit(currency, "insideBottomRight")}
      />
      <YAxis type="category" dataKey="name" tick={{ fontSize: 12 }} width={120} />
      <Tooltip
        content={({ active, label }) => {
          const row = active ? byName.get(String(label)) : undefined;
          if (!row) return null;
          return (
            <ChartTooltipBox
              heading={row.name}
              lines={[
                {
                  key: row.feature,
                  name: t("statistics.totalCost"),
                  color: seriesColor(row.feature),
                  text: formatMoney(row.amount, locale, currency),
                },
              ]}
            />
          );
        }}
      />
      <Bar dataKey="value" name={t("statistics.totalCost")} isAnimationActive={false}>
        {rows.map((row) => (
          <Cell key={row.feature} fill={seriesColor(row.feature)} />
        ))}
      </Bar>
    </BarChart>
  );
}

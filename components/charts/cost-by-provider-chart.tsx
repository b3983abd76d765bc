"use client";

import { useTranslation } from "react-i18next";
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { periodLabel, providerName } from "@/components/display/display-names";
import { seriesColor } from "@/components/display/series-color";
import type { PeriodType } from "@/lib/db/generated/enums";
import type { Locale } from "@/lib/i18n/config";
import { formatMoney } from "@/lib/money/format";
import { toChartValue } from "@/lib/stats/chart-value";
import type { StatisticsPoint } from "@/lib/stats/get-statistics";
import { axisTickFormatter, axisUnit } from "./axis-format";
import { ChartTooltipBox } from "./chart-frame";

interface CostByProviderChartProps {
  points: StatisticsPoint[];
  /** Providers in legend and stacking order (largest first). */
  providers: string[];
  period: PeriodType;
  currency: string;
  locale: Locale;
}

/** Cost per period, stacked by AI provider. Bar heights are floats; every text is the exact amount. */
export function CostByProviderChart({ points, providers, period, currency, locale }: CostByProviderChartProps) {
  const { t } = useTranslation("billing");
  const rows = points.map((point) => ({
    label: periodLabel(point.label, period, locale),
    ...Object.fromEntries(providers.map((p) => [p, toChartValue(point.byProvider[p] ?? "0")])),
  }));
  const byLabel = new Map(points.map((point) => [periodLabel(point.label, period, locale), point]));
  return (
    <BarChart responsive data={rows} style={{ width: "100%", height: 320 }} margin={{ top: 24, left: 8, right: 8 }}>
      <CartesianGrid strokeDasharray="3 3" vertical={false} />
      <XAxis dataKey="label" tick={{ fontSize: 12 }} interval="preserveStartEnd" />
      <YAxis
        tickFormatter={axisTickFormatter(locale)}
        tick={{ fontSize: 12 }}
        width={56}
        label={axisUnit(currency, "top")}
      />
      <Tooltip
        content={({ active, label }) => {
          const point = active ? byLabel.get(String(label)) : undefined;
          if (!point) return null;
          return (
            <ChartTooltipBox
              heading={String(label)}
              lines={providers
                .filter((p) => point.byProvider[p] !== undefined)
                .map((p) => ({
                  key: p,
                  name: providerName(t, p),
                  color: seriesColor(p),
                  text: formatMoney(point.byProvider[p] ?? "0", locale, currency),
                }))}
              total={{
                key: "total",
                name: t("statistics.total"),
                color: "",
                text: formatMoney(point.totalCost, locale, currency),
              }}
            />
          );
        }}
      />
      <Legend />
      {providers.map((p) => (
        <Bar
          key={p}
          dataKey={p}
          name={providerName(t, p)}
          stackId="cost"
          fill={seriesColor(p)}
          isAnimationActive={false}
        />
      ))}
    </BarChart>
  );
}

"use client";

import { useTranslation } from "react-i18next";
import { Bar, BarChart, CartesianGrid, Cell, Tooltip, XAxis, YAxis } from "recharts";
import { seriesColor } from "@/components/display/series-color";
import type { Locale } from "@/lib/i18n/config";
import { formatAmount } from "@/lib/i18n/format-money";
import { formatMoney } from "@/lib/money/format";
import { toChartValue } from "@/lib/stats/chart-value";
import { axisTickFormatter, axisUnit, shortCategory } from "./axis-format";
import { ChartTooltipBox } from "./chart-frame";

/** One bar: a category (feature, user, model) and its cost. */
export interface CostBar {
  /** Stable across languages: the colour follows it. */
  key: string;
  name: string;
  /** Decimal string. */
  amount: string;
  /** Percent of the period's total, decimal string; shown in the tooltip when given. */
  share?: string;
}

interface CostBarChartProps {
  bars: CostBar[];
  currency: string;
  locale: Locale;
}

/**
 * Cost per category as horizontal bars, in the given order (largest first). Bar lengths are
 * floats; the tooltip shows the exact amount (and share).
 */
export function CostBarChart({ bars, currency, locale }: CostBarChartProps) {
  const { t } = useTranslation("billing");
  const data = bars.map((bar) => ({ ...bar, value: toChartValue(bar.amount) }));
  const byName = new Map(data.map((row) => [row.name, row]));
  return (
    <BarChart
      responsive
      layout="vertical"
      data={data}
      style={{ width: "100%", height: Math.max(160, data.length * 40 + 60) }}
      margin={{ left: 8, right: 24, bottom: 16 }}
    >
      <CartesianGrid strokeDasharray="3 3" horizontal={false} />
      <XAxis
        type="number"
        tickFormatter={axisTickFormatter(locale)}
        tick={{ fontSize: 12 }}
        label={axisUnit(currency, "insideBottomRight")}
      />
      <YAxis type="category" dataKey="name" width={140} tick={<CategoryTick />} />
      <Tooltip
        content={({ active, label }) => {
          const row = active ? byName.get(String(label)) : undefined;
          if (!row) return null;
          return (
            <ChartTooltipBox
              heading={row.name}
              lines={[
                {
                  key: "amount",
                  name: t("statistics.totalCost"),
                  color: seriesColor(row.key),
                  text: formatMoney(row.amount, locale, currency),
                },
                ...(row.share === undefined
                  ? []
                  : [
                      {
                        key: "share",
                        name: t("statistics.share"),
                        color: "transparent",
                        text: `${formatAmount(row.share, locale, { decimals: 1 })} %`,
                      },
                    ]),
              ]}
            />
          );
        }}
      />
      <Bar dataKey="value" name={t("statistics.totalCost")} isAnimationActive={false}>
        {data.map((row) => (
          <Cell key={row.key} fill={seriesColor(row.key)} />
        ))}
      </Bar>
    </BarChart>
  );
}

/**
 * A category's name on one line, cut at a fixed length (recharts' own tick wraps long names into
 * lines it then drops); the whole name is its title, and the tooltip and table show it too.
 */
function CategoryTick({ x, y, payload }: { x?: number | string; y?: number | string; payload?: { value?: unknown } }) {
  const name = String(payload?.value ?? "");
  return (
    <text x={x} y={y} dy={4} textAnchor="end" fontSize={12} fill="#666" className="recharts-cartesian-axis-tick-value">
      <title>{name}</title>
      {shortCategory(name)}
    </text>
  );
}

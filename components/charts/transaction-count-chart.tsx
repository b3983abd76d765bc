"use client";

import { useTranslation } from "react-i18next";
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { periodLabel } from "@/components/display/display-names";
import type { PeriodType } from "@/lib/db/generated/enums";
import type { Locale } from "@/lib/i18n/config";
import type { StatisticsPoint } from "@/lib/stats/get-statistics";
import { axisUnit, countFormatter } from "./axis-format";
import { ChartTooltipBox } from "./chart-frame";

const LINE_COLOR = "#2563eb";

/** Number of debits per period. Counts are integers, not money: no conversion needed. */
export function TransactionCountChart({
  points,
  period,
  locale,
}: {
  points: StatisticsPoint[];
  period: PeriodType;
  locale: Locale;
}) {
  const { t } = useTranslation("billing");
  const format = countFormatter(locale);
  const rows = points.map((point) => ({
    label: periodLabel(point.label, period, locale),
    count: point.transactionCount,
  }));
  return (
    <LineChart responsive data={rows} style={{ width: "100%", height: 260 }} margin={{ top: 24, left: 8, right: 8 }}>
      <CartesianGrid strokeDasharray="3 3" vertical={false} />
      <XAxis dataKey="label" tick={{ fontSize: 12 }} interval="preserveStartEnd" />
      <YAxis
        allowDecimals={false}
        tickFormatter={format}
        tick={{ fontSize: 12 }}
        width={56}
        label={axisUnit(t("statistics.countAxis"), "top")}
      />
      <Tooltip
        content={({ active, label }) => {
          const row = active ? rows.find((r) => r.label === String(label)) : undefined;
          if (!row) return null;
          return (
            <ChartTooltipBox
              heading={row.label}
              lines={[{ key: "count", name: t("statistics.transactions"), color: LINE_COLOR, text: format(row.count) }]}
            />
          );
        }}
      />
      <Line
        type="linear"
        dataKey="count"
        name={t("statistics.transactions")}
        stroke={LINE_COLOR}
        strokeWidth={2}
        dot={period !== "DAY"}
        isAnimationActive={false}
      />
    </LineChart>
  );
}

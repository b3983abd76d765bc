"use client";

import { useTranslation } from "react-i18next";
import { Button } from "@/components/ui/button";
import { numericCell, Table } from "@/components/ui/table";
import type { Locale } from "@/lib/i18n/config";
import { columnDecimals, formatAmount, formatCount } from "@/lib/i18n/format-money";
import { ChartFrame } from "./chart-frame";
import { CostBarChart } from "./cost-bar-chart";
import { costShareCsv, type CostShareColumns } from "@/lib/stats/cost-share-csv";
import type { CostShareRow } from "./cost-share-rows";
import styles from "./charts.module.css";

interface CostShareSectionProps {
  title: string;
  /** The chart's figures in words, as the other charts' captions. */
  summary: string;
  rows: CostShareRow[];
  columns: CostShareColumns;
  currency: string;
  locale: Locale;
  /** data-testid of the figure; the table and the CSV button derive theirs from it. */
  testId: string;
  /** The downloaded file's name, without ".csv". */
  fileName: string;
}

/**
 * A cost-share chart with its table beside it and a CSV of the same rows: one list of rows feeds
 * all three, so the table and the file show exactly what the chart shows.
 */
export function CostShareSection({
  title,
  summary,
  rows,
  columns,
  currency,
  locale,
  testId,
  fileName,
}: CostShareSectionProps) {
  const { t } = useTranslation("billing");
  const decimals = columnDecimals(rows.map((row) => row.amount));
  const download = () => {
    const blob = new Blob([costShareCsv(rows, columns, locale)], { type: "text/csv;charset=utf-8" });
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = `${fileName}.csv`;
    document.body.append(link);
    link.click();
    link.remove();
    // After the click has handed the file to the browser's download.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  };
  return (
    <div className={styles.share}>
      <ChartFrame title={title} summary={summary} testId={testId}>
        <CostBarChart bars={rows} currency={currency} locale={locale} />
      </ChartFrame>
      <div className={styles.shareTable}>
        <Table label={t("statistics.tableLabel", { title })} data-testid={`${testId}-table`}>
          <thead>
            <tr>
              <th scope="col">{columns.name}</th>
              <th scope="col" className={numericCell}>
                {columns.amount}
              </th>
              <th scope="col" className={numericCell}>
                {columns.share}
              </th>
              {columns.count !== null ? (
                <th scope="col" className={numericCell}>
                  {columns.count}
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key} data-key={row.key}>
                <th scope="row" className={styles.shareName} title={row.name}>
                  {row.name}
                </th>
                <td className={numericCell} data-amount={row.amount}>
                  {formatAmount(row.amount, locale, { decimals })}
                </td>
                <td className={numericCell}>{formatAmount(row.share, locale, { decimals: 1 })}</td>
                {columns.count !== null ? (
                  <td className={numericCell}>
                    {row.transactionCount === null ? "" : formatCount(row.transactionCount, locale)}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </Table>
        <Button variant="secondary" size="small" onClick={download} data-testid={`${testId}-csv`}>
          {t("statistics.downloadCsv")}
        </Button>
      </div>
    </div>
  );
}

"use client";

import { useTranslation } from "react-i18next";
import { Button } from "@/components/ui/button";
import segmented from "@/components/ui/segmented.module.css";
import { PeriodType } from "@/lib/db/generated/enums";
import type { Locale } from "@/lib/i18n/config";
import { enumLabel, fieldLabel } from "@/lib/i18n/model-metadata";
import styles from "./statistics.module.css";
import { canShift, shiftView, type StatisticsViewState } from "./statistics-url";

const PERIODS = Object.values(PeriodType);

interface PeriodControlsProps {
  view: StatisticsViewState;
  today: { year: number; month: number };
  locale: Locale;
  /** The viewed period as text ("November 2026"). */
  title: string;
  onChange: (view: StatisticsViewState) => void;
}

/** DAY / MONTH / YEAR switch and back/forward through the calendar. */
export function PeriodControls({ view, today, locale, title, onChange }: PeriodControlsProps) {
  const { t } = useTranslation("billing");
  const [previousLabel, nextLabel] =
    view.period === "DAY"
      ? [t("statistics.previousMonth"), t("statistics.nextMonth")]
      : view.period === "MONTH"
        ? [t("statistics.previousYear"), t("statistics.nextYear")]
        : [t("statistics.previousYears"), t("statistics.nextYears")];
  return (
    <div className={styles.controls}>
      <div
        role="group"
        aria-label={fieldLabel("UsageStatistics", "periodType", locale)}
        className={segmented.segmented}
      >
        {PERIODS.map((period) => (
          <button
            key={period}
            type="button"
            aria-pressed={view.period === period}
            onClick={() => onChange({ ...view, period })}
            data-testid={`period-${period}`}
          >
            {enumLabel("PeriodType", period, locale)}
          </button>
        ))}
      </div>
      <div className={styles.navigation}>
        <Button
          variant="secondary"
          size="small"
          onClick={() => onChange(shiftView(view, -1))}
          disabled={!canShift(view, -1, today)}
          aria-label={previousLabel}
          title={previousLabel}
          data-testid="period-previous"
        >
          ‹
        </Button>
        <h2 className={styles.periodTitle} aria-live="polite" data-testid="period-title">
          {title}
        </h2>
        <Button
          variant="secondary"
          size="small"
          onClick={() => onChange(shiftView(view, 1))}
          disabled={!canShift(view, 1, today)}
          aria-label={nextLabel}
          title={nextLabel}
          data-testid="period-next"
        >
          ›
        </Button>
      </div>
    </div>
  );
}

import type { ReactNode } from "react";
import styles from "./charts.module.css";

interface ChartFrameProps {
  title: string;
  /** The chart's figures in words (title, period, total), for screen readers and as a caption. */
  summary: string;
  testId: string;
  children: ReactNode;
}

/** A titled chart with a text summary, so the figure means something without seeing the bars. */
export function ChartFrame({ title, summary, testId, children }: ChartFrameProps) {
  return (
    <figure className={styles.frame} data-testid={testId}>
      <figcaption className={styles.caption}>
        <span className={styles.title}>{title}</span>
        <span className={styles.summary}>{summary}</span>
      </figcaption>
      <div className={styles.plot}>{children}</div>
    </figure>
  );
}

interface TooltipLine {
  key: string;
  name: string;
  color: string;
  /** Already formatted: the exact formatMoney string, or a formatted count. */
  text: string;
}

/** Tooltip content: a heading and one line per series, with exact texts rather than the chart's floats. */
export function ChartTooltipBox({
  heading,
  lines,
  total,
}: {
  heading: string;
  lines: TooltipLine[];
  total?: TooltipLine;
}) {
  return (
    <div className={styles.tooltip} data-testid="chart-tooltip">
      <p className={styles.tooltipHeading}>{heading}</p>
      <ul className={styles.tooltipList}>
        {lines.map((line) => (
          <li key={line.key}>
            <span className={styles.swatch} style={{ background: line.color }} aria-hidden="true" />
            <span>{line.name}</span>
            <span className={styles.tooltipValue}>{line.text}</span>
          </li>
        ))}
        {total ? (
          <li className={styles.tooltipTotal}>
            <span />
            <span>{total.name}</span>
            <span className={styles.tooltipValue}>{total.text}</span>
          </li>
        ) : null}
      </ul>
    </div>
  );
}

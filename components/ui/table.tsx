import type { ReactNode, TableHTMLAttributes } from "react";
import styles from "./table.module.css";

interface TableProps extends TableHTMLAttributes<HTMLTableElement> {
  /** Names the scrollable region for screen readers (and keyboard users who focus it to scroll). */
  label: string;
  caption?: ReactNode;
}

/** A data table that scrolls horizontally on narrow screens instead of breaking the layout. */
export function Table({ label, caption, className, children, ...rest }: TableProps) {
  return (
    <div className={styles.scroll} role="region" aria-label={label} tabIndex={0}>
      <table className={[styles.table, className].filter(Boolean).join(" ")} {...rest}>
        {caption ? <caption>{caption}</caption> : null}
        {children}
      </table>
    </div>
  );
}

/** Class for right-aligned number and money cells. */
export const numericCell = styles.numeric;

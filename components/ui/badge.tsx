import type { ReactNode } from "react";
import styles from "./surface.module.css";

type BadgeTone = "neutral" | "accent" | "ok" | "warn" | "danger";

export function Badge({ tone = "neutral", children }: { tone?: BadgeTone; children: ReactNode }) {
  return <span className={`${styles.badge} ${styles[tone]}`}>{children}</span>;
}

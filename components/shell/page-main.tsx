import type { ReactNode } from "react";
import styles from "./shell.module.css";

/** The page body below header and navigation; the skip link jumps here. */
export function PageMain({ children }: { children: ReactNode }) {
  return (
    <main id="content" className={styles.main} tabIndex={-1}>
      {children}
    </main>
  );
}

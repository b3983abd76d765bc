import type { ComponentProps } from "react";
import styles from "./page-intro.module.css";

/** The short explanation under a page's title, alike on every page. */
export function PageIntro(props: Omit<ComponentProps<"p">, "className">) {
  return <p className={styles.intro} {...props} />;
}

import type { HTMLAttributes, ReactNode } from "react";
import styles from "./surface.module.css";

interface CardProps extends Omit<HTMLAttributes<HTMLElement>, "title"> {
  title?: ReactNode;
  /** Heading level of the title inside the page outline. */
  titleLevel?: 2 | 3;
}

export function Card({ title, titleLevel = 2, className, children, ...rest }: CardProps) {
  const Heading = titleLevel === 2 ? "h2" : "h3";
  return (
    <section className={[styles.card, className].filter(Boolean).join(" ")} {...rest}>
      {title ? <Heading className={styles.cardTitle}>{title}</Heading> : null}
      {children}
    </section>
  );
}

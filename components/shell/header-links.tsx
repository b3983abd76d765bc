"use client";

import Link from "next/link";
import { useRef } from "react";
import styles from "./shell.module.css";
import { useScrollEdges } from "./use-scroll-edges";

/** The platform admin's links in the header; on a phone a row that scrolls, with fades at its edges. */
export function HeaderLinks({ links }: { links: { href: string; label: string }[] }) {
  const listRef = useRef<HTMLUListElement>(null);
  const more = useScrollEdges(listRef);
  return (
    <div
      className={styles.linksRow}
      data-more-before={more.before || undefined}
      data-more-after={more.after || undefined}
    >
      <ul ref={listRef} className={styles.links}>
        {links.map((link) => (
          <li key={link.href}>
            <Link href={link.href} className={styles.headerLink}>
              {link.label}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}

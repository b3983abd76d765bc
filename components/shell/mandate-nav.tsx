"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useRef } from "react";
import styles from "./shell.module.css";
import { useScrollEdges } from "./use-scroll-edges";

export interface NavItem {
  href: string;
  label: string;
  /** Overview matches its exact path only; the others match their sub-pages too. */
  exact?: boolean;
}

/**
 * The mandate's tabs. On a phone they do not all fit: the row scrolls sideways, a fade with an
 * arrow at either edge says there are more, and the current tab is scrolled into view (else
 * "Members", last in the row, would be selected yet hidden).
 */
export function MandateNav({ label, items }: { label: string; items: NavItem[] }) {
  const pathname = usePathname();
  const listRef = useRef<HTMLUListElement>(null);
  const more = useScrollEdges(listRef);

  useEffect(() => {
    const list = listRef.current;
    if (!list) return;
    const reveal = () => {
      const active = list.querySelector<HTMLElement>('[aria-current="page"]');
      if (!active) return;
      // scrollLeft, not scrollIntoView: that would scroll the page vertically as well.
      const start = active.offsetLeft - list.offsetLeft;
      if (start < list.scrollLeft || start + active.offsetWidth > list.scrollLeft + list.clientWidth) {
        list.scrollLeft = start - (list.clientWidth - active.offsetWidth) / 2;
      }
    };
    // On each new page, and when the row narrows (a phone turned upright, a window resized).
    const observer = new ResizeObserver(reveal);
    observer.observe(list);
    return () => observer.disconnect();
  }, [pathname]);

  return (
    <nav
      className={styles.nav}
      aria-label={label}
      data-more-before={more.before || undefined}
      data-more-after={more.after || undefined}
    >
      <ul ref={listRef}>
        {items.map((item) => {
          const active = item.exact ? pathname === item.href : pathname.startsWith(item.href);
          return (
            <li key={item.href}>
              <Link href={item.href} className={styles.navLink} aria-current={active ? "page" : undefined}>
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

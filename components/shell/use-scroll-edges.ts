"use client";

import { useEffect, useState, type RefObject } from "react";

export interface ScrollEdges {
  /** More content to the left (the row is scrolled). */
  before: boolean;
  /** More content to the right. */
  after: boolean;
}

/**
 * Whether a sideways-scrolling row has more beyond either edge, kept current while it scrolls
 * and resizes: the row shows a fade there, so a phone user sees that there is more to swipe to.
 */
export function useScrollEdges(ref: RefObject<HTMLElement | null>): ScrollEdges {
  const [edges, setEdges] = useState<ScrollEdges>({ before: false, after: false });
  useEffect(() => {
    const row = ref.current;
    if (!row) return;
    const update = () => {
      const before = row.scrollLeft > 1;
      const after = row.scrollLeft + row.clientWidth < row.scrollWidth - 1;
      setEdges((was) => (was.before === before && was.after === after ? was : { before, after }));
    };
    update();
    row.addEventListener("scroll", update, { passive: true });
    const observer = new ResizeObserver(update);
    observer.observe(row);
    return () => {
      row.removeEventListener("scroll", update);
      observer.disconnect();
    };
  }, [ref]);
  return edges;
}

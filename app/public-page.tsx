import type { ReactNode } from "react";
import { PublicHeader } from "@/components/shell/app-header";
import { Card } from "@/components/ui/card";
import type { Locale } from "@/lib/i18n/config";
import { setLocaleAction } from "./actions";
import styles from "./public-page.module.css";

interface PublicPageProps {
  locale: Locale;
  /** "form": one narrow card (sign-in, password pages); "page": a wider column of its own blocks. */
  variant?: "form" | "page";
  children: ReactNode;
}

/** The frame of the signed-out pages: product name and language switch, then the page. */
export function PublicPage({ locale, variant = "form", children }: PublicPageProps) {
  return (
    <>
      <PublicHeader locale={locale} setLocale={setLocaleAction} />
      {variant === "form" ? (
        <main id="content" className={styles.narrow}>
          <Card>{children}</Card>
        </main>
      ) : (
        <main id="content" className={styles.main}>
          {children}
        </main>
      )}
    </>
  );
}

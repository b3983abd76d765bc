"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useMemo, useState, type ReactNode } from "react";
import { I18nextProvider, initReactI18next } from "react-i18next";
import type { Locale } from "@/lib/i18n/config";
import { createI18n } from "@/lib/i18n/create-i18n";

/**
 * Client-side context for every page: translations in the language the server chose for this
 * request (so server and client render the same text), and one react-query cache per browser tab.
 */
export function Providers({ locale, children }: { locale: Locale; children: ReactNode }) {
  // A new instance when the language switch changes the locale; resources are bundled, so this is synchronous.
  const i18n = useMemo(() => createI18n(locale, [initReactI18next]), [locale]);
  const [queryClient] = useState(
    () =>
      new QueryClient({
        // Data is re-fetched on focus anyway; a short stale time avoids duplicate requests on mount.
        defaultOptions: { queries: { staleTime: 30_000, retry: 1 } },
      }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <I18nextProvider i18n={i18n}>{children}</I18nextProvider>
    </QueryClientProvider>
  );
}

import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import { getRequestLocale } from "@/lib/i18n/get-request-locale";
import "./globals.css";

export const metadata: Metadata = {
  title: "AI Billing",
  description: "Prepaid AI billing ledger and dashboard",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await getRequestLocale();
  return (
    <html lang={locale}>
      <body>
        <Providers locale={locale}>{children}</Providers>
      </body>
    </html>
  );
}

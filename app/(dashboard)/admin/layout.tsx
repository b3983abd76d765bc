import type { ReactNode } from "react";
import { requirePagePlatformAdmin } from "@/lib/auth/page-guards";

/**
 * Guards the first request to any admin page before anything streams, so everyone else gets
 * the 404 page with a 404 status. Pages and actions still check for themselves: layouts are
 * skipped on client-side navigation.
 */
export default async function PlatformAdminLayout({ children }: { children: ReactNode }) {
  await requirePagePlatformAdmin();
  return children;
}

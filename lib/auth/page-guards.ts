import { notFound, redirect } from "next/navigation";
import { cache, type ReactNode } from "react";
import type { MandateRole } from "@/lib/db/generated/client";
import { isDomainError } from "@/lib/errors";
import type { AppUser } from "@/lib/users/get-user";
import { requireMember, type MemberContext } from "./require-member";
import { requirePlatformAdmin, requireUser } from "./require-user";

/**
 * The page-layer faces of the guards: signed out → /signin, no access → the 404 page. A member
 * below the required role also gets the 404 page: pages they may not use do not exist for them.
 * Actions call the throwing guards instead and translate the error code.
 */
export async function requirePageUser(): Promise<AppUser> {
  try {
    return await requireUser();
  } catch (err) {
    return toPageOutcome(err);
  }
}

/**
 * requireMember once per render for each mandate and role: the layout, the page and its title
 * (app/page-metadata.ts) ask the same question in one request. Pages and layouts only: an action
 * that changes a membership must see the change, so actions call requireMember itself.
 */
export const renderMember = cache(requireMember);

export async function requirePageMember(
  mandateId: string,
  minimumRole: MandateRole = "MEMBER",
): Promise<MemberContext> {
  try {
    return await renderMember(mandateId, minimumRole);
  } catch (err) {
    return toPageOutcome(err);
  }
}

export async function requirePagePlatformAdmin(): Promise<AppUser> {
  try {
    return await requirePlatformAdmin();
  } catch (err) {
    return toPageOutcome(err);
  }
}

/**
 * A segment layout that admits members with `minimumRole` only. As a layout it sits outside the
 * segment's own loading.tsx, so the 404 of a member below the role is sent with a 404 status
 * (inside a Suspense boundary it would arrive after a streamed 200). Pages check again: layouts
 * are skipped on client-side navigation.
 */
export function roleGuardLayout(minimumRole: MandateRole) {
  return async function RoleGuardLayout({
    children,
    params,
  }: {
    children: ReactNode;
    params: Promise<{ mandateId: string }>;
  }): Promise<ReactNode> {
    await requirePageMember((await params).mandateId, minimumRole);
    return children;
  };
}

function toPageOutcome(err: unknown): never {
  if (isDomainError(err, "UNAUTHENTICATED")) redirect("/signin");
  if (isDomainError(err, "NOT_FOUND") || isDomainError(err, "FORBIDDEN")) notFound();
  throw err;
}

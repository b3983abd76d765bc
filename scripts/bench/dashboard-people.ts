import { prisma } from "@/lib/db/client";
import type { MandateRole } from "@/lib/db/generated/client";
import { createUser } from "@/lib/users/create-user";

/**
 * The people of the statistics mandate, made in each run's copy (the template holds only the
 * generated ledger): an OWNER who signs in with a known password, and a few members so the
 * member list and the user filter have rows. Imported only after DATABASE_URL points at the
 * run's database (the Prisma client reads it on load).
 */
export const OWNER_EMAIL = "bench-dashboard-owner@bench.invalid";
export const OWNER_PASSWORD = "bench-dashboard-owner-password";

const MEMBERS: { email: string; name: string; role: MandateRole }[] = [
  { email: "bench-dashboard-admin@bench.invalid", name: "Bench admin", role: "ADMIN" },
  { email: "bench-dashboard-member-1@bench.invalid", name: "Bench member 1", role: "MEMBER" },
  { email: "bench-dashboard-member-2@bench.invalid", name: "Bench member 2", role: "MEMBER" },
];

export async function addDashboardPeople(mandateId: string): Promise<{ email: string; password: string }> {
  const people = [{ email: OWNER_EMAIL, name: "Bench owner", role: "OWNER" as const }, ...MEMBERS];
  for (const person of people) {
    const { userId } = await createUser({
      email: person.email,
      name: person.name,
      password: OWNER_PASSWORD,
      locale: "de",
    });
    await prisma.membership.create({ data: { mandateId, userId, role: person.role } });
  }
  return { email: OWNER_EMAIL, password: OWNER_PASSWORD };
}

export async function disconnect(): Promise<void> {
  await prisma.$disconnect();
}

import { prisma } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";

/** Persists the UI language a person chose, so it follows them to every device. */
export async function setUserLocale(userId: string, locale: "de" | "en"): Promise<void> {
  const { count } = await prisma.user.updateMany({ where: { id: userId }, data: { locale } });
  if (count === 0) throw new DomainError("NOT_FOUND", "user not found");
}

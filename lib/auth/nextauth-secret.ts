import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * next-auth signs and encrypts the session cookie with NEXTAUTH_SECRET. Deployments set it; for
 * local runs, dev and tests, `npm start` creates a random one once in .data/nextauth-secret and
 * reuses it, so sessions survive restarts and no secret is ever committed.
 */
const SECRET_FILE = path.join(".data", "nextauth-secret");

/** NEXTAUTH_SECRET, else the stored local secret, creating it (mode 0600) when missing. */
export function ensureNextAuthSecret(file = SECRET_FILE): string {
  if (process.env.NEXTAUTH_SECRET) return process.env.NEXTAUTH_SECRET;
  const existing = readStoredSecret(file);
  if (existing) return existing;
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  // `wx`: when two starts race, the loser fails here and reads the winner's secret below.
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
    return secret;
  } catch {
    const written = readStoredSecret(file);
    if (!written) throw new Error(`could not create ${file}`);
    return written;
  }
}

/** For the server itself: never creates the file (a server without a secret must fail loudly). */
export function readNextAuthSecret(file = SECRET_FILE): string | undefined {
  return process.env.NEXTAUTH_SECRET || readStoredSecret(file);
}

function readStoredSecret(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  const secret = readFileSync(file, "utf8").trim();
  return secret.length >= 32 ? secret : undefined;
}

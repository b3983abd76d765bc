import { randomBytes } from "node:crypto";
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { afterAll, beforeAll } from "vitest";
import { ensureProductionBuild } from "@/scripts/build/ensure-production-build";
import { nextServerCommand } from "@/scripts/build/next-server-command";

/**
 * The running app for HTTP integration tests: the production build (`next build`, only when
 * sources changed, under a lock so parallel test files build once) served by `next start` on
 * a free port against this test run's database. Each test file starts its own server in
 * beforeAll; they share the build.
 */
export interface AppServer {
  baseUrl: string;
  /** The process started (the benchmark reads its memory). */
  pid: number;
  stop: () => Promise<void>;
}

export async function startAppServer(): Promise<AppServer> {
  if (!process.env.DATABASE_URL) throw new Error("DATABASE_URL is not set: run through vitest's global setup");
  await ensureProductionBuild();
  const port = await freePort();
  const next = nextServerCommand(["start", "-p", String(port)]);
  const child = spawn(next.command, next.args, {
    env: {
      // Pages read the next-auth session, which needs a secret and the server's own URL in production;
      // `npm start` provides both (scripts/start.ts), a test server its own.
      NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(port),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const take = (chunk: Buffer) => {
    // Only the start-up output is kept, for the error message if the server never answers; the
    // benchmark's server runs for minutes.
    if (output.length < 100_000) output += chunk.toString();
  };
  child.stdout?.on("data", take);
  child.stderr?.on("data", take);
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHealth(baseUrl, child, () => output);
  return { baseUrl, pid: child.pid ?? 0, stop: () => stopChild(child) };
}

/**
 * This test file's server: started before its tests, stopped after them. Call at the top level of
 * a `*.http.test.ts` file; read `baseUrl` inside tests (it is set once beforeAll has run).
 */
export function appServerForThisFile(): { readonly baseUrl: string } {
  let server: AppServer | undefined;
  beforeAll(async () => {
    server = await startAppServer();
  }, 600_000);
  afterAll(async () => server?.stop());
  return {
    get baseUrl() {
      if (!server) throw new Error("the app server is not running yet (read baseUrl inside a test)");
      return server.baseUrl;
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

async function waitForHealth(baseUrl: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited:\n${output()}`);
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stopChild(child);
  throw new Error(`next start did not become healthy:\n${output()}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

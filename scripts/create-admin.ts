/**
 * `npm run admin:create -- --email ops@example.ch --name "Ops"`: the first platform admin of a
 * deployment (DATABASE_URL, else the embedded default database), with a password of the operator's
 * choosing. The password never comes from argv (shell history, `ps`): ADMIN_PASSWORD, else stdin
 * when piped, else a prompt that does not echo.
 */
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { prepareDatabase } from "@/scripts/db/database-url";

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { email: { type: "string" }, name: { type: "string" } } });
  if (!values.email || !values.name) {
    console.error(
      'usage: npm run admin:create -- --email ops@example.ch --name "Ops"  (password: ADMIN_PASSWORD, stdin or prompt)',
    );
    process.exit(2);
  }
  const password = await readPassword();
  // Works before the first `npm start`, like `npm run db:seed`: the schema comes first.
  const { stop } = await prepareDatabase();
  // lib/db/client reads DATABASE_URL when it is first imported, hence the late import.
  const { createPlatformAdmin } = await import("@/lib/users/create-platform-admin");
  try {
    const created = await createPlatformAdmin({ email: values.email, name: values.name, password });
    console.log(`created platform admin ${created.email} (${created.userId}); sign in at /signin`);
  } finally {
    await stop();
  }
}

async function readPassword(): Promise<string> {
  if (process.env.ADMIN_PASSWORD) return process.env.ADMIN_PASSWORD;
  if (!process.stdin.isTTY) {
    let text = "";
    for await (const chunk of process.stdin) text += String(chunk);
    return text.replace(/\r?\n$/, "");
  }
  const first = await promptHidden("password: ");
  const second = await promptHidden("password again: ");
  if (first !== second) throw new Error("the passwords differ; nothing was created");
  return first;
}

function promptHidden(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  // Echo nothing of what is typed: readline writes each key through _writeToOutput.
  const muted = rl as unknown as { _writeToOutput: (s: string) => void };
  process.stdout.write(question);
  muted._writeToOutput = () => undefined;
  return new Promise((resolve) => {
    rl.question("", (answer) => {
      rl.close();
      process.stdout.write("\n");
      resolve(answer);
    });
  });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    const details = (err as { details?: unknown }).details;
    console.error(err instanceof Error ? err.message : err);
    if (Array.isArray(details))
      for (const d of details as { path: string; message: string }[]) console.error(`  ${d.path}: ${d.message}`);
    process.exit(1);
  },
);

/**
 * Platform-admin CLI for machine-API keys (the dashboard gets a page later).
 *   npm run api-key -- create --name gateway [--mandate <mandateId>]   prints the key once
 *   npm run api-key -- list
 *   npm run api-key -- revoke <keyId>
 */
import { parseArgs } from "node:util";
import { prepareDatabase } from "@/scripts/db/database-url";

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { name: { type: "string" }, mandate: { type: "string" } },
  });
  const [command, id] = positionals;
  await prepareDatabase();
  const { createApiKey, listApiKeys, revokeApiKey } = await import("@/lib/api-keys/api-keys");

  if (command === "create" && values.name) {
    const created = await createApiKey({ name: values.name, mandateId: values.mandate ?? null });
    console.log(
      `created API key ${created.id} (${created.mandateId ? `mandate ${created.mandateId}` : "platform-wide"})`,
    );
    console.log(`key (shown once, store it now): ${created.key}`);
  } else if (command === "list") {
    for (const key of await listApiKeys()) {
      const state = key.revokedAt ? "revoked" : "active";
      console.log(`${key.id}  ${key.keyPrefix}…  ${key.name}  ${key.mandateId ?? "platform-wide"}  ${state}`);
    }
  } else if (command === "revoke" && id) {
    await revokeApiKey(id);
    console.log(`revoked ${id}`);
  } else {
    console.error("usage: npm run api-key -- create --name NAME [--mandate ID] | list | revoke ID");
    process.exit(2);
  }
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

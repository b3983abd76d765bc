import { defineConfig } from "prisma/config";

// The CLI needs a URL only for migrate/studio; `prisma generate` ignores it.
// Runtime queries go through @prisma/adapter-pg in lib/db/client.ts.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "tsx prisma/seed.ts" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://postgres:postgres@127.0.0.1:54329/billing" },
});

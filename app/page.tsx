import { checkHealth } from "@/lib/health/check-health";

export const dynamic = "force-dynamic";

// Until sign-in lands (dashboard issue) the start page shows service status only:
// no mandate data is shown to anyone who is not signed in.
export default async function HomePage() {
  const health = await checkHealth();
  return (
    <main style={{ maxWidth: 640, margin: "4rem auto", padding: "0 1rem" }}>
      <h1>AI Billing</h1>
      <p>Prepaid billing ledger for AI usage: pool accounts per mandate, user audit accounts, billing checks.</p>
      <section
        aria-labelledby="status-heading"
        style={{ background: "var(--card)", border: "1px solid var(--border)", borderRadius: 8, padding: "1rem" }}
      >
        <h2 id="status-heading" style={{ marginTop: 0, fontSize: "1.1rem" }}>
          Service status
        </h2>
        <dl style={{ display: "grid", gridTemplateColumns: "max-content 1fr", gap: "0.25rem 1rem", margin: 0 }}>
          <dt>Database</dt>
          <dd data-testid="health-database" style={{ margin: 0 }}>
            {health.database}
          </dd>
          <dt>Migrations applied</dt>
          <dd data-testid="health-migrations" style={{ margin: 0 }}>
            {health.migrations}
          </dd>
        </dl>
      </section>
    </main>
  );
}

import { expect, test } from "@playwright/test";

test("the app serves its status page backed by the database", async ({ page, request }) => {
  const health = await request.get("/api/health");
  expect(health.status()).toBe(200);
  const body = (await health.json()) as { database: string; migrations: number };
  expect(body.database).toBe("ok");
  expect(body.migrations).toBeGreaterThan(0);

  await page.goto("/");
  await expect(page.getByRole("heading", { name: "AI Billing" })).toBeVisible();
  // The public page speaks to customers: the service's state in words, no internals.
  await expect(page.getByTestId("health-status")).toHaveAttribute("data-status", "ok");
  await expect(page.getByTestId("health-status")).toHaveText(/Operational|In Betrieb/);
  await expect(page.getByText(/migration/i)).toHaveCount(0);
  await page.screenshot({ path: "test-results/screenshots/home.png", fullPage: true });
});

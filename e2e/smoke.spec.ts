import { expect, test } from "@playwright/test";

test("the app serves its status page backed by the database", async ({ page, request }) => {
  const health = await request.get("/api/health");
  expect(health.status()).toBe(200);
  const body = (await health.json()) as { database: string; migrations: number };
  expect(body.database).toBe("ok");
  expect(body.migrations).toBeGreaterThan(0);

  await page.goto("/");
  await expect(page.getByRole("heading", { name: "AI Billing" })).toBeVisible();
  await expect(page.getByTestId("health-database")).toHaveText("ok");
  await page.screenshot({ path: "test-results/screenshots/home.png", fullPage: true });
});

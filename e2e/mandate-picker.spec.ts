import { expect, test } from "@playwright/test";
import { DEMO_USERS, signIn } from "./support";

test("a MEMBER of two mandates sees no pool balance on the mandate picker", async ({ page }) => {
  await signIn(page, DEMO_USERS.consultant);
  // Two mandates: the list, not a redirect.
  await expect(page).toHaveURL(/\/mandates$/);
  const list = page.getByRole("region", { name: /mandates|mandanten/i });
  await expect(list.getByRole("link", { name: "Demo AG" })).toBeVisible();
  await expect(list.getByRole("link", { name: "Muster GmbH" })).toBeVisible();
  await expect(list.getByRole("columnheader", { name: /Pool balance|Pool-Guthaben/ })).toHaveCount(0);
  await expect(list.getByTestId("mandate-pool-balance")).toHaveCount(0);
  await expect(list.getByText(/CHF/)).toHaveCount(0);

  // Nor on the overview of either mandate.
  for (const name of ["Demo AG", "Muster GmbH"]) {
    await page.goto("/mandates");
    await list.getByRole("link", { name }).click();
    await expect(page.getByTestId("mandate-name")).toHaveText(name);
    await expect(page.getByTestId("pool-balance")).toHaveCount(0);
  }
});

test("a platform admin still sees every pool balance on the picker", async ({ page }) => {
  await signIn(page, DEMO_USERS.platform);
  await expect(page).toHaveURL(/\/mandates$/);
  const list = page.getByRole("region", { name: /mandates|mandanten/i });
  // Other specs may add mandates to billing_e2e; the two demo mandates must show theirs.
  for (const name of ["Demo AG", "Muster GmbH"]) {
    const row = list.getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });
    await expect(row.getByTestId("mandate-pool-balance")).toContainText(/CHF/);
  }
});

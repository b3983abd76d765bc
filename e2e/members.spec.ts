import { expect, test, type Page } from "@playwright/test";
import { seriousViolations, signInToMandate, DEMO_USERS } from "./support";

// Demo users from prisma/seed/seed-demo.ts. billing_e2e is reused between runs: the added member is
// removed again, and a leftover from an interrupted run is removed first. The user it creates
// stays (without membership), so later runs add an existing user by e-mail.
const OWNER = DEMO_USERS.owner;
const ADMIN = DEMO_USERS.admin;
const MEMBER = DEMO_USERS.member;
const NEW_MEMBER = { email: "e2e-new-member@demo.local", name: "E2E New Member" };

async function openMembers(page: Page): Promise<void> {
  const mandateUrl = await signInToMandate(page, OWNER);
  await page.goto(`${mandateUrl}/members`);
  await page.getByRole("button", { name: /English/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Members" })).toBeVisible();
}

async function removeMember(page: Page, name: string): Promise<void> {
  await page.getByRole("button", { name: `Remove ${name}` }).click();
  const dialog = page.getByRole("dialog", { name: "Remove member?" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Remove", exact: true }).click();
}

const rowOf = (page: Page, email: string) => page.locator(`tr[data-email="${email}"]`);

test("the owner adds a user by e-mail as member, makes them admin and removes them", async ({ page }) => {
  await openMembers(page);
  const row = rowOf(page, NEW_MEMBER.email);
  if ((await row.count()) > 0) {
    await removeMember(page, NEW_MEMBER.name);
    await expect(row).toHaveCount(0);
  }

  const form = page.getByTestId("add-member-form");
  await form.getByLabel("E-mail").fill(NEW_MEMBER.email.toUpperCase());
  await form.getByLabel("Name").fill(NEW_MEMBER.name);
  await form.getByLabel("Role").selectOption({ label: "Member" });
  await form.getByRole("button", { name: "Add member" }).click();
  await expect(page.getByTestId("add-member-status")).toHaveText(`${NEW_MEMBER.email} was added.`);
  await expect(row).toHaveAttribute("data-role", "MEMBER");
  await expect(row).toContainText(NEW_MEMBER.name);
  await expect(row.getByText("No password yet")).toBeVisible();

  // Adding them again is refused.
  await form.getByLabel("E-mail").fill(NEW_MEMBER.email);
  await form.getByRole("button", { name: "Add member" }).click();
  await expect(page.getByTestId("add-member-error")).toHaveText("This person is already a member of the mandate.");

  await row.getByLabel(`Role of ${NEW_MEMBER.name}`, { exact: true }).selectOption("ADMIN");
  await row.getByRole("button", { name: `Change role of ${NEW_MEMBER.name}` }).click();
  await expect(row).toHaveAttribute("data-role", "ADMIN");

  await page.screenshot({ path: "test-results/screenshots/members.png", fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);

  await removeMember(page, NEW_MEMBER.name);
  await expect(page.getByTestId("remove-member-status")).toHaveText(`${NEW_MEMBER.email} was removed.`);
  await expect(row).toHaveCount(0);
  await page.reload();
  await expect(rowOf(page, OWNER.email)).toBeVisible();
  await expect(row).toHaveCount(0);
});

test("demoting the last owner is refused with a clear message", async ({ page }) => {
  await openMembers(page);
  const owner = rowOf(page, OWNER.email);
  await owner.getByRole("combobox").selectOption("ADMIN");
  await owner.getByRole("button", { name: /^Change role of / }).click();
  await expect(owner.getByTestId("role-error")).toHaveText(
    "A mandate needs at least one owner. Make someone else owner first.",
  );
  await expect(owner).toHaveAttribute("data-role", "OWNER");
  await page.reload();
  await expect(owner).toHaveAttribute("data-role", "OWNER");
});

for (const user of [ADMIN, MEMBER]) {
  test(`${user.email} gets the 404 page for the members page`, async ({ page }) => {
    const mandateUrl = await signInToMandate(page, user);
    const response = await page.goto(`${mandateUrl}/members`);
    expect(response?.status()).toBe(404);
    await expect(page.getByTestId("not-found")).toBeVisible();
  });
}

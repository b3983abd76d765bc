import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { prisma } from "@/lib/db/client";
import { createTestMandate } from "@/testing/test-factories";
import type { BillingSettingsInput } from "./billing-settings-schema";
import { getBillingSettings } from "./get-billing-settings";
import { listBillingSettingsChanges } from "./list-billing-settings-changes";
import { updateBillingSettings } from "./update-billing-settings";

/** The defaults createMandate gives every mandate (schema.prisma), as the form would send them. */
const DEFAULTS: BillingSettingsInput = {
  warningThresholdPercent: "10",
  notifyOnWarning: true,
  notifyEmails: [],
  locale: "de",
  autoRechargeEnabled: false,
  rechargeAmountCHF: "10",
  rechargeMaxPerMonth: 3,
};

const changeRows = (mandateId: string) =>
  prisma.billingSettingsChange.findMany({ where: { mandateId }, orderBy: [{ changedAt: "asc" }, { field: "asc" }] });

describe("updateBillingSettings", () => {
  it("saves the new values and records each changed field with who, when, old and new value", async () => {
    const m = await createTestMandate();
    const before = new Date();
    const result = await updateBillingSettings({
      mandateId: m.mandateId,
      changedByUserId: m.adminId,
      expectedVersion: 0,
      settings: {
        ...DEFAULTS,
        warningThresholdPercent: "12.5",
        notifyEmails: ["Billing@Example.ch"],
        rechargeAmountCHF: "25.50",
      },
    });
    expect(result.changes.map((c) => c.field)).toEqual([
      "warningThresholdPercent",
      "notifyEmails",
      "rechargeAmountCHF",
    ]);

    const view = await getBillingSettings(m.mandateId);
    expect(view?.values).toEqual({
      ...DEFAULTS,
      warningThresholdPercent: "12.50",
      notifyEmails: ["billing@example.ch"],
      rechargeAmountCHF: "25.50",
    });

    const rows = await changeRows(m.mandateId);
    expect(
      rows.map(({ field, oldValue, newValue, changedByUserId }) => ({ field, oldValue, newValue, changedByUserId })),
    ).toEqual(
      expect.arrayContaining([
        { field: "warningThresholdPercent", oldValue: "10.00", newValue: "12.50", changedByUserId: m.adminId },
        { field: "notifyEmails", oldValue: [], newValue: ["billing@example.ch"], changedByUserId: m.adminId },
        { field: "rechargeAmountCHF", oldValue: "10.00", newValue: "25.50", changedByUserId: m.adminId },
      ]),
    );
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row.changedAt.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);

    const history = await listBillingSettingsChanges(m.mandateId);
    expect(history).toHaveLength(3);
    expect(history[0]?.changedBy).toMatchObject({ userId: m.adminId, name: "Test admin" });
  });

  it("saves the mandate's e-mail language and records it in the history", async () => {
    const m = await createTestMandate();
    const saveLocale = (changedByUserId: string, expectedVersion: number, locale: string) =>
      updateBillingSettings({
        mandateId: m.mandateId,
        changedByUserId,
        expectedVersion,
        settings: { ...DEFAULTS, locale },
      });
    expect((await getBillingSettings(m.mandateId))?.values.locale).toBe("de");
    const result = await saveLocale(m.ownerId, 0, "en");
    expect(result.changes).toEqual([{ field: "locale", oldValue: "de", newValue: "en" }]);
    expect(result.settingsVersion).toBe(1);
    const mandate = await prisma.mandate.findUniqueOrThrow({ where: { id: m.mandateId } });
    expect(mandate.locale).toBe("en");
    expect((await getBillingSettings(m.mandateId))?.values).toEqual({
      ...DEFAULTS,
      locale: "en",
      warningThresholdPercent: "10.00",
      rechargeAmountCHF: "10.00",
    });
    const history = await listBillingSettingsChanges(m.mandateId);
    expect(history).toMatchObject([
      { field: "locale", oldValue: "de", newValue: "en", changedBy: { userId: m.ownerId } },
    ]);

    // Back to German: the next save records the way back; the same language again records nothing.
    await saveLocale(m.adminId, 1, "de");
    const again = await saveLocale(m.adminId, 2, "de");
    expect(again.changes).toEqual([]);
    expect((await prisma.mandate.findUniqueOrThrow({ where: { id: m.mandateId } })).locale).toBe("de");
    expect((await listBillingSettingsChanges(m.mandateId)).map((c) => [c.field, c.oldValue, c.newValue])).toEqual([
      ["locale", "en", "de"],
      ["locale", "de", "en"],
    ]);
  });

  it("records nothing and leaves updated_at alone when nothing changed", async () => {
    const m = await createTestMandate();
    const stamp = (await prisma.billingSettings.findUniqueOrThrow({ where: { mandateId: m.mandateId } })).updatedAt;
    // Different spelling, same values: "10.00" is 10, the e-mail list is empty either way.
    const result = await updateBillingSettings({
      mandateId: m.mandateId,
      changedByUserId: m.ownerId,
      expectedVersion: 0,
      settings: { ...DEFAULTS, warningThresholdPercent: "10.00", rechargeAmountCHF: "010", rechargeMaxPerMonth: "3" },
    });
    expect(result.changes).toEqual([]);
    expect(await changeRows(m.mandateId)).toEqual([]);
    const after = await prisma.billingSettings.findUniqueOrThrow({ where: { mandateId: m.mandateId } });
    expect(after.updatedAt).toEqual(stamp);
  });

  it("changes nothing when any field is invalid", async () => {
    const m = await createTestMandate();
    const original = await getBillingSettings(m.mandateId);
    await expect(
      updateBillingSettings({
        mandateId: m.mandateId,
        changedByUserId: m.ownerId,
        expectedVersion: 0,
        settings: { ...DEFAULTS, warningThresholdPercent: "20", notifyEmails: ["ok@example.ch", "broken@"] },
      }),
    ).rejects.toBeInstanceOf(ZodError);
    for (const invalid of [{ rechargeAmountCHF: "1000.01" }, { locale: "fr", rechargeAmountCHF: "20" }]) {
      await expect(
        updateBillingSettings({
          mandateId: m.mandateId,
          changedByUserId: m.ownerId,
          expectedVersion: 0,
          settings: { ...DEFAULTS, ...invalid },
        }),
      ).rejects.toBeInstanceOf(ZodError);
    }
    expect(await getBillingSettings(m.mandateId)).toEqual(original);
    expect((await prisma.mandate.findUniqueOrThrow({ where: { id: m.mandateId } })).locale).toBe("de");
    expect(await changeRows(m.mandateId)).toEqual([]);
  });

  it("refuses a save from a stale form and keeps what the other admin saved", async () => {
    const m = await createTestMandate();
    const loaded = await getBillingSettings(m.mandateId); // both admins open the form at version 0
    expect(loaded?.settingsVersion).toBe(0);
    const first = await updateBillingSettings({
      mandateId: m.mandateId,
      changedByUserId: m.ownerId,
      expectedVersion: 0,
      settings: { ...DEFAULTS, rechargeAmountCHF: "50" },
    });
    expect(first.settingsVersion).toBe(1);
    // The second admin's form still holds the old recharge amount; saving it would undo the first.
    await expect(
      updateBillingSettings({
        mandateId: m.mandateId,
        changedByUserId: m.adminId,
        expectedVersion: 0,
        settings: { ...DEFAULTS, warningThresholdPercent: "20" },
      }),
    ).rejects.toMatchObject({ code: "EDIT_CONFLICT" });
    const view = await getBillingSettings(m.mandateId);
    expect(view?.values).toEqual({ ...DEFAULTS, rechargeAmountCHF: "50.00", warningThresholdPercent: "10.00" });
    expect(view?.settingsVersion).toBe(1);
    expect(await changeRows(m.mandateId)).toHaveLength(1);

    // Reloaded (version 1), the same change goes through.
    const second = await updateBillingSettings({
      mandateId: m.mandateId,
      changedByUserId: m.adminId,
      expectedVersion: 1,
      settings: { ...DEFAULTS, rechargeAmountCHF: "50", warningThresholdPercent: "20" },
    });
    expect(second).toMatchObject({
      settingsVersion: 2,
      changes: [expect.objectContaining({ field: "warningThresholdPercent" })],
    });
  });

  it("lets exactly one of concurrent saves from the same form win", async () => {
    const m = await createTestMandate();
    const values = ["11", "12", "13", "14", "15", "16", "17", "18"];
    const results = await Promise.allSettled(
      values.map((v, i) =>
        updateBillingSettings({
          mandateId: m.mandateId,
          changedByUserId: i % 2 === 0 ? m.ownerId : m.adminId,
          expectedVersion: 0,
          settings: { ...DEFAULTS, warningThresholdPercent: v },
        }),
      ),
    );
    const won = results.flatMap((r, i) => (r.status === "fulfilled" ? [values[i]] : []));
    expect(won).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "EDIT_CONFLICT" });
    const rows = await changeRows(m.mandateId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ oldValue: "10.00", newValue: `${won[0]}.00` });
    expect((await getBillingSettings(m.mandateId))?.values.warningThresholdPercent).toBe(`${won[0]}.00`);
  });

  it("is not made stale by the platform's own writes to the settings row", async () => {
    const m = await createTestMandate();
    await prisma.billingSettings.update({
      where: { mandateId: m.mandateId },
      data: { storageHighWatermarkMB: "123", rechargesThisMonth: 1 },
    });
    const result = await updateBillingSettings({
      mandateId: m.mandateId,
      changedByUserId: m.ownerId,
      expectedVersion: 0,
      settings: { ...DEFAULTS, notifyOnWarning: false },
    });
    expect(result.settingsVersion).toBe(1);
  });

  it("answers NOT_FOUND for an unknown mandate and keeps each mandate's history to itself", async () => {
    const a = await createTestMandate();
    const b = await createTestMandate();
    await expect(
      updateBillingSettings({
        mandateId: randomUUID(),
        changedByUserId: a.ownerId,
        expectedVersion: 0,
        settings: DEFAULTS,
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await updateBillingSettings({
      mandateId: a.mandateId,
      changedByUserId: a.ownerId,
      expectedVersion: 0,
      settings: { ...DEFAULTS, notifyOnWarning: false },
    });
    expect(await listBillingSettingsChanges(b.mandateId)).toEqual([]);
    expect(await listBillingSettingsChanges(a.mandateId)).toEqual([
      expect.objectContaining({ field: "notifyOnWarning", oldValue: true, newValue: false }),
    ]);
  });
});

import { describe, expect, it } from "vitest";
import { forecastRunway, runwayReadFrom, type RechargeTerms, type RunwayInputs } from "./forecast-runway";
import { projectEmptyDate } from "./project-empty-date";

// Hand-computed cases. 15 March 2026, 13:00 in Zurich (CET); summer time begins on 29 March, so
// the month ends at 2026-03-31T22:00Z, 16 days 10 hours after NOW.
const NOW = new Date("2026-03-15T12:00:00Z");

const RECHARGE_ON: RechargeTerms = {
  enabled: true,
  hasCard: true,
  switchedOff: false,
  amount: "5",
  maxPerMonth: 3,
  usedThisMonth: 2,
};

function inputs(over: Partial<RunwayInputs> = {}): RunwayInputs {
  return {
    now: NOW,
    currency: "CHF",
    balance: "100",
    warningThreshold: "10",
    budget: "100",
    warningThresholdPercent: "10",
    dailySpend: [],
    recharge: null,
    ...over,
  };
}

/** 7 CHF in the week before today, so 1 CHF a day; nothing else in the 30 days. */
const ONE_A_DAY = [{ date: "2026-03-10", amount: "7.000000" }];

describe("forecastRunway: burn and empty date", () => {
  it("burn over the last 7 and 30 whole days before today; today and older days do not count", () => {
    const runway = forecastRunway(
      inputs({
        dailySpend: [
          { date: "2026-02-12", amount: "500" }, // 31 days back: outside both windows
          { date: "2026-02-13", amount: "16" }, // 30 days back: the 30-day window's first day
          { date: "2026-03-07", amount: "100" }, // 8 days back: outside the 7-day window
          { date: "2026-03-08", amount: "7" }, // 7 days back
          { date: "2026-03-14", amount: "7" }, // yesterday
          { date: "2026-03-15", amount: "3" }, // today: only in the month so far
        ],
      }),
    );
    const [week, month] = runway.burn;
    expect(week).toMatchObject({ days: 7, spent: "14.000000", burnPerDay: "2.000000" });
    expect(month).toMatchObject({ days: 30, spent: "130.000000", burnPerDay: "4.333333" });
    // 100 at 2 a day: 50 days from NOW, 4 May 2026 (14:00 in Zurich).
    expect(week!.empty).toEqual({ kind: "date", date: "2026-05-04", recharges: 0 });
    // 100 at 130/30 a day: 23.0769… days, 7 April 2026 at 13:50 UTC.
    expect(month!.empty).toEqual({ kind: "date", date: "2026-04-07", recharges: 0 });
    expect(week!.withAutoRecharge).toBeNull();
    expect(runway.hasUsage).toBe(true);
  });

  it("zero burn: no date, and the empty state", () => {
    const runway = forecastRunway(inputs());
    expect(runway.hasUsage).toBe(false);
    for (const burn of runway.burn) {
      expect(burn).toMatchObject({ spent: "0.000000", burnPerDay: "0.000000", empty: { kind: "no-burn" } });
    }
    expect(runway.month).toMatchObject({ spentSoFar: "0.000000", projectedTotal: "0.000000" });
  });

  it("an empty or overdrawn pool is already empty, whatever the burn", () => {
    for (const balance of ["0", "-0.000001", "-25"]) {
      const runway = forecastRunway(inputs({ balance, dailySpend: ONE_A_DAY, recharge: RECHARGE_ON }));
      expect(runway.burn.map((b) => b.empty)).toEqual([{ kind: "already-empty" }, { kind: "already-empty" }]);
      expect(runway.burn[0]!.withAutoRecharge).toEqual({ kind: "already-empty" });
    }
  });

  it("the empty day is Zurich's: 22:30 UTC on 31 March is 1 April", () => {
    // 23:00 in Zurich; 0.0625 CHF at 1 CHF a day lasts 1.5 hours.
    const now = new Date("2026-03-31T21:00:00Z");
    const runway = forecastRunway(
      inputs({ now, balance: "0.0625", dailySpend: [{ date: "2026-03-25", amount: "7" }] }),
    );
    expect(runway.burn[0]!.empty).toEqual({ kind: "date", date: "2026-04-01", recharges: 0 });
  });

  it("a pool that lasts beyond the horizon says so", () => {
    const runway = forecastRunway(inputs({ dailySpend: [{ date: "2026-03-14", amount: "0.000007" }] }));
    expect(runway.burn[0]!.empty).toEqual({ kind: "beyond", date: "2028-03-01", recharges: 0 });
  });
});

describe("forecastRunway: this month against last month", () => {
  it("month so far plus the 7-day burn for the time left in the month", () => {
    const runway = forecastRunway(
      inputs({
        dailySpend: [
          { date: "2026-02-01", amount: "1.5" },
          { date: "2026-02-28", amount: "2.25" },
          { date: "2026-03-01", amount: "4" },
          { date: "2026-03-10", amount: "7" },
          { date: "2026-03-15", amount: "3" },
        ],
      }),
    );
    // 14 so far; 1 a day for 16 days 10 hours: 16.416667 more, 30.416667 to the centime.
    expect(runway.month).toEqual({
      year: 2026,
      month: 3,
      spentSoFar: "14.000000",
      projectedTotal: "30.420000",
      lastMonth: { year: 2026, month: 2, total: "3.750000" },
    });
  });

  it("at a Zurich month boundary: 23:30 UTC on 28 February is already March", () => {
    const now = new Date("2026-02-28T23:30:00Z");
    const runway = forecastRunway(
      inputs({
        now,
        dailySpend: [
          { date: "2026-02-28", amount: "7" },
          { date: "2026-03-01", amount: "0.5" },
        ],
      }),
    );
    expect(runway.today).toBe("2026-03-01");
    expect(runway.burn[0]).toMatchObject({ spent: "7.000000", burnPerDay: "1.000000" });
    // March so far 0.5; left: 31 days less summer time's hour and 30 minutes, 30.9375 days at 1 a
    // day: 31.4375, 31.44 to the centime.
    expect(runway.month).toMatchObject({
      year: 2026,
      month: 3,
      spentSoFar: "0.500000",
      projectedTotal: "31.440000",
      lastMonth: { year: 2026, month: 2, total: "7.000000" },
    });
  });

  it("reads from the earlier of 30 days back and last month's first day", () => {
    expect(runwayReadFrom(NOW)).toBe("2026-02-01");
    expect(runwayReadFrom(new Date("2026-03-31T10:00:00Z"))).toBe("2026-02-01");
    expect(runwayReadFrom(new Date("2026-03-02T10:00:00Z"))).toBe("2026-01-31");
  });
});

describe("forecastRunway: auto-recharge", () => {
  // Balance 12, threshold 10 (10 % of a budget of 100), 1 CHF a day, 5 CHF per recharge.
  const base = { balance: "12", dailySpend: ONE_A_DAY };

  it("each crossing adds the recharge amount: the date moves by the recharges the cap allows", () => {
    const runway = forecastRunway(inputs({ ...base, recharge: RECHARGE_ON }));
    const week = runway.burn[0]!;
    // Without: 12 days, 27 March.
    expect(week.empty).toEqual({ kind: "date", date: "2026-03-27", recharges: 0 });
    // March: 1 recharge left (2 of 3 used), on 17 March; April opens with 0.583333 and a threshold
    // of 10 % of it, so three more crossings in April. 12 + 4 × 5 = 32 CHF: 32 days, 16 April.
    expect(week.withAutoRecharge).toEqual({ kind: "date", date: "2026-04-16", recharges: 4 });
    expect(runway.autoRecharge).toEqual({
      state: "on",
      amount: "5.000000",
      leftThisMonth: 1,
      maxPerMonth: 3,
      pending: null,
    });
  });

  it("the cap: none left this month, one a month later", () => {
    const spent = forecastRunway(inputs({ ...base, recharge: { ...RECHARGE_ON, usedThisMonth: 3 } }));
    // Nothing left in March: empty on 27 March as without.
    expect(spent.burn[0]!.withAutoRecharge).toEqual({ kind: "date", date: "2026-03-27", recharges: 0 });
    expect(spent.autoRecharge.leftThisMonth).toBe(0);

    const onePerMonth = forecastRunway(
      inputs({ ...base, recharge: { ...RECHARGE_ON, maxPerMonth: 1, usedThisMonth: 0 } }),
    );
    // One in March, one in April: 12 + 2 × 5 = 22 days, 6 April.
    expect(onePerMonth.burn[0]!.withAutoRecharge).toEqual({ kind: "date", date: "2026-04-06", recharges: 2 });
  });

  it("a recharge on its way counts at once: the crossing just happened, its charge not yet booked", () => {
    // Below the threshold at 9; the pending 5 makes 14, budget 105, threshold 10.5; the cap is
    // reached with it (3 of 3), so nothing more in March: 14 days, 29 March.
    const runway = forecastRunway(
      inputs({ ...base, balance: "9", recharge: { ...RECHARGE_ON, usedThisMonth: 3, pendingAmount: "5" } }),
    );
    expect(runway.burn[0]!.empty).toEqual({ kind: "date", date: "2026-03-24", recharges: 0 });
    expect(runway.burn[0]!.withAutoRecharge).toEqual({ kind: "date", date: "2026-03-29", recharges: 1 });
    expect(runway.autoRecharge).toMatchObject({ state: "on", leftThisMonth: 0, pending: "5.000000" });
  });

  it.each([
    [{ ...RECHARGE_ON, enabled: false }, "off"],
    [{ ...RECHARGE_ON, enabled: false, switchedOff: true }, "switched-off"],
    [{ ...RECHARGE_ON, hasCard: false }, "no-card"],
    [null, "not-set"],
  ] as const)("%o is not on: no recharge is projected (%s)", (recharge, state) => {
    const runway = forecastRunway(inputs({ ...base, recharge }));
    expect(runway.autoRecharge.state).toBe(state);
    expect(runway.autoRecharge.leftThisMonth).toBe(0);
    expect(runway.burn.map((b) => b.withAutoRecharge)).toEqual([null, null]);
  });

  it("recharges that outpace the burn keep the pool beyond the horizon", () => {
    const forecast = projectEmptyDate({
      now: NOW,
      balance: "100",
      spent: "7",
      days: 7,
      recharge: { amount: "50", percent: "10", budget: "100", threshold: "10", leftThisMonth: 3, maxPerMonth: 3 },
    });
    expect(forecast).toMatchObject({ kind: "beyond", date: "2028-03-01" });
  });
});

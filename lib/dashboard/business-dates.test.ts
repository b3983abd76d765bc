import { describe, expect, it } from "vitest";
import { businessDayStart, currentBusinessMonth, nextDate, zurichDate } from "./business-dates";

describe("business dates (Europe/Zurich)", () => {
  it("starts a day at Zurich midnight in winter and summer time", () => {
    expect(businessDayStart("2026-01-01")).toBe("2025-12-31T23:00:00.000Z");
    expect(businessDayStart("2026-07-15")).toBe("2026-07-14T22:00:00.000Z");
    // The days of the clock changes start at the offset of the night before.
    expect(businessDayStart("2026-03-29")).toBe("2026-03-28T23:00:00.000Z");
    expect(businessDayStart("2026-10-25")).toBe("2026-10-24T22:00:00.000Z");
    expect(() => businessDayStart("2026-1-1")).toThrow();
  });

  it("knows the next day, the local date and this month of an instant", () => {
    expect(nextDate("2026-02-28")).toBe("2026-03-01");
    expect(nextDate("2024-02-28")).toBe("2024-02-29");
    expect(nextDate("2026-12-31")).toBe("2027-01-01");
    expect(zurichDate(new Date("2025-12-31T23:30:00Z"))).toBe("2026-01-01");
    expect(currentBusinessMonth(new Date("2026-10-31T23:30:00Z"))).toEqual({ year: 2026, month: 11 });
    expect(currentBusinessMonth(new Date("2026-10-31T22:30:00Z"))).toEqual({ year: 2026, month: 10 });
  });
});

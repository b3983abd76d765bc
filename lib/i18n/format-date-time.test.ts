import { describe, expect, it } from "vitest";
import { formatDateTime } from "./format-date-time";

describe("formatDateTime", () => {
  it("shows Zurich time, whatever the process's time zone", () => {
    // 22:30 UTC on 31 March is 00:30 on 1 April in Zurich (summer time).
    const de = formatDateTime("2026-03-31T22:30:00Z", "de");
    expect(de).toContain("01.04.2026");
    expect(de).toContain("00:30");
    const en = formatDateTime("2026-03-31T22:30:00Z", "en");
    expect(en).toMatch(/1 Apr 2026|Apr 1, 2026/);
    expect(formatDateTime("2026-03-31T22:30:00Z", "de", false)).not.toContain("00:30");
  });
});

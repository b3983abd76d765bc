import { describe, expect, it } from "vitest";
import { formatStorage } from "./format-storage";

describe("formatStorage", () => {
  it("shows whole binary gigabytes in GB, as the catalogue sends them (1024.00)", () => {
    expect(["1024.00", "10240.00", "51200"].map((mb) => formatStorage(mb, "en"))).toEqual(["1 GB", "10 GB", "50 GB"]);
    expect(formatStorage("1024.00", "de")).toBe("1 GB");
  });

  it("shows anything else in MB", () => {
    expect(formatStorage("0.00", "en")).toBe("0 MB");
    expect(formatStorage("1536.50", "en")).toMatch(/^1\D536\.5 MB$/);
    expect(formatStorage("1000", "en")).toMatch(/^1\D000 MB$/);
  });
});

import { describe, expect, it } from "vitest";
import { costShareCsv } from "./cost-share-csv";
import type { CostShareRow } from "./cost-share";

const ROWS: CostShareRow[] = [
  { key: "u1", name: "Anna Muster", amount: "1408.300000", share: "99.9", transactionCount: 20366 },
  { key: "u2", name: "=cmd; Bob", amount: "0.000012", share: "0.1", transactionCount: 1 },
];
const COLUMNS = { name: "User", amount: "Cost (CHF)", share: "Share (%)", count: "Transactions" };

describe("costShareCsv", () => {
  it("writes German figures as the German table shows them, semicolon separated, with a header", () => {
    const csv = costShareCsv(ROWS, { ...COLUMNS, name: "Benutzer", amount: "Kosten (CHF)" }, "de");
    expect(csv.startsWith("\uFEFF")).toBe(true);
    expect(csv.slice(1).split("\r\n")).toEqual([
      "Benutzer;Kosten (CHF);Share (%);Transactions",
      "Anna Muster;1'408.300000;99.9;20'366",
      '"\'=cmd; Bob";0.000012;0.1;1',
      "",
    ]);
  });

  it("writes English figures with group commas, quoted in a comma file; no count column for models", () => {
    const csv = costShareCsv(ROWS, { ...COLUMNS, count: null }, "en");
    expect(csv.slice(1).split("\r\n")).toEqual([
      "User,Cost (CHF),Share (%)",
      'Anna Muster,"1,408.300000",99.9',
      "'=cmd; Bob,0.000012,0.1",
      "",
    ]);
  });
});

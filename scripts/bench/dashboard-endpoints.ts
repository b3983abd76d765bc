import type { StatisticsDataset } from "./statistics-dataset";

/**
 * What an owner's browser asks for on the dashboard's pages, on the statistics mandate: the
 * pages themselves (server-rendered HTML, first paint included) and the data requests their
 * client views make. The transactions list and its count are measured unfiltered and with each
 * kind of filter the page offers, alone and together, since each takes another path through
 * the ledger's indexes.
 */
export interface Endpoint {
  label: string;
  kind: "page" | "data";
  path: string;
}

export function dashboardEndpoints(dataset: StatisticsDataset): Endpoint[] {
  const page = `/mandates/${dataset.mandateId}`;
  const api = `/api/dashboard/mandates/${dataset.mandateId}`;
  const [lastYear = 0, lastMonth = 1] = dataset.lastMonth.split("-").map(Number);
  // The last full month with data: the month before the one the data ends in.
  const rangeYear = lastMonth === 1 ? lastYear - 1 : lastYear;
  const rangeMonth = lastMonth === 1 ? 12 : lastMonth - 1;
  const monthDays = new Date(Date.UTC(rangeYear, rangeMonth, 0)).getUTCDate();
  const ym = `${rangeYear}-${String(rangeMonth).padStart(2, "0")}`;
  const filters: [string, string][] = [
    ["", ""],
    [`date range ${ym}`, `from=${ym}-01&to=${ym}-${monthDays}`],
    ["type CREDIT", "type=CREDIT"],
    ["model gpt-4o", "model=gpt-4o"],
    ['search "mini"', "q=mini"],
    ["all four", `from=${ym}-01&to=${ym}-${monthDays}&type=DEBIT&model=gpt-4o&q=gpt`],
  ];
  const query = (q: string) => (q ? `?${q}` : "");
  return [
    { label: "overview page", kind: "page", path: page },
    { label: "transactions page", kind: "page", path: `${page}/transactions` },
    ...filters.map(([name, q]): Endpoint => ({
      label: `transactions list${name ? `, ${name}` : ""}`,
      kind: "data",
      path: `${api}/transactions${query(q)}`,
    })),
    ...filters.map(([name, q]): Endpoint => ({
      label: `transactions count${name ? `, ${name}` : ""}`,
      kind: "data",
      path: `${api}/transactions/count${query(q)}`,
    })),
    { label: "statistics page", kind: "page", path: `${page}/statistics` },
    {
      label: `statistics data DAY ${lastYear}-${String(lastMonth).padStart(2, "0")}`,
      kind: "data",
      path: `${api}/statistics?period=DAY&year=${lastYear}&month=${lastMonth}`,
    },
    {
      label: `statistics data MONTH ${lastYear}`,
      kind: "data",
      path: `${api}/statistics?period=MONTH&year=${lastYear}`,
    },
    { label: "members page", kind: "page", path: `${page}/members` },
  ];
}

export function exportPath(dataset: StatisticsDataset): string {
  return `/api/dashboard/mandates/${dataset.mandateId}/transactions/export`;
}

"use client";

import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "@/components/ui/button";
import { createCsvRecordCounter } from "@/lib/export/csv-record-counter";
import { formatCount } from "@/lib/i18n/format-money";
import styles from "./transactions.module.css";

type ExportState =
  | { status: "idle" }
  | { status: "running"; rows: number; total: number | null }
  | { status: "done"; rows: number }
  | { status: "cancelled" }
  | { status: "failed" };

interface CsvExportProps {
  /** The export route with the table's filters and sort. */
  url: string;
}

/**
 * Downloads the CSV export with visible progress: the response is read chunk by chunk, its
 * records counted against X-Total-Count (counted by the server before streaming), then saved as
 * one Blob. Cancelling aborts the request, which cancels the server's stream and its queries.
 */
export function CsvExport({ url }: CsvExportProps) {
  const { t, i18n } = useTranslation("billing");
  const language = i18n.language === "de" ? "de" : "en";
  const [state, setState] = useState<ExportState>({ status: "idle" });
  const abort = useRef<AbortController | null>(null);
  // Leaving the page stops a running export.
  useEffect(() => () => abort.current?.abort(), []);

  const start = async () => {
    const controller = new AbortController();
    abort.current = controller;
    setState({ status: "running", rows: 0, total: null });
    try {
      const res = await fetch(url, { signal: controller.signal, cache: "no-store" });
      if (!res.ok || !res.body) throw new Error(`export answered ${res.status}`);
      const totalHeader = res.headers.get("X-Total-Count");
      const total = totalHeader && /^\d+$/.test(totalHeader) ? Number.parseInt(totalHeader, 10) : null;
      const chunks: Uint8Array<ArrayBuffer>[] = [];
      const counter = createCsvRecordCounter();
      const decoder = new TextDecoder();
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        // The first record is the header.
        const rows = Math.max(0, counter.push(decoder.decode(value, { stream: true })) - 1);
        setState({ status: "running", rows, total });
      }
      const rows = Math.max(0, counter.records - 1);
      save(new Blob(chunks, { type: "text/csv;charset=utf-8" }), filenameOf(res) ?? "transactions.csv");
      setState({ status: "done", rows });
    } catch {
      setState(controller.signal.aborted ? { status: "cancelled" } : { status: "failed" });
    } finally {
      abort.current = null;
    }
  };

  const running = state.status === "running";
  return (
    <div className={styles.export} data-testid="csv-export">
      {running ? (
        <>
          <progress
            className={styles.progress}
            aria-label={t("transactions.export.progress")}
            value={state.rows}
            max={state.total ?? undefined}
            data-testid="export-progress"
          />
          <Button variant="secondary" size="small" onClick={() => abort.current?.abort()} data-testid="export-cancel">
            {t("transactions.export.cancel")}
          </Button>
        </>
      ) : (
        <Button variant="secondary" onClick={() => void start()} data-testid="export-csv">
          {t("transactions.export.button")}
        </Button>
      )}
      <span
        role="status"
        className={state.status === "failed" ? styles.error : styles.status}
        data-testid="export-status"
      >
        {statusText(state, t, language)}
      </span>
    </div>
  );
}

function statusText(
  state: ExportState,
  t: (key: string, options?: Record<string, unknown>) => string,
  language: "de" | "en",
): string {
  switch (state.status) {
    case "idle":
      return "";
    case "running":
      return t("transactions.export.running", {
        done: formatCount(state.rows, language),
        total: state.total === null ? "…" : formatCount(state.total, language),
      });
    case "done":
      return t("transactions.export.done", { count: state.rows });
    case "cancelled":
      return t("transactions.export.cancelled");
    case "failed":
      return t("transactions.export.failed");
  }
}

/** The file name the server chose (Content-Disposition), ASCII by construction. */
function filenameOf(res: Response): string | null {
  const match = /filename="([^"]+)"/.exec(res.headers.get("Content-Disposition") ?? "");
  return match?.[1] ?? null;
}

function save(blob: Blob, filename: string): void {
  const href = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = href;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the file once the click's download started; free the memory after.
  setTimeout(() => URL.revokeObjectURL(href), 30_000);
}

/**
 * Counts the CSV records in a stream of text chunks as they arrive, for the export's progress
 * bar. A record ends at a line feed outside quotes; a quoted field may hold line breaks (a
 * description), so counting line feeds alone would overcount. A doubled quote inside a field
 * toggles twice and leaves the state as it was, so one flag is enough. Safe in the browser.
 */
export interface CsvRecordCounter {
  /** Feeds the next chunk; returns the number of complete records so far. */
  push(chunk: string): number;
  readonly records: number;
}

export function createCsvRecordCounter(): CsvRecordCounter {
  let inQuotes = false;
  let records = 0;
  return {
    push(chunk: string): number {
      for (let i = 0; i < chunk.length; i++) {
        const c = chunk.charCodeAt(i);
        if (c === 34)
          inQuotes = !inQuotes; // "
        else if (c === 10 && !inQuotes) records++; // \n
      }
      return records;
    },
    get records() {
      return records;
    },
  };
}

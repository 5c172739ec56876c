/**
 * Parses a CSV off the renderer's main thread with the engine's parser (papaparse) and analysis:
 * delimiter, header, per-column kinds and bad cells, the first rows for the preview.
 */
import { inspectCsv } from '../../lib/engine';

export interface CsvPreview {
  report: ReturnType<typeof inspectCsv>['report'];
  columns: string[];
  rows: string[][];
  lines: number;
}

self.onmessage = (e: MessageEvent<{ text: string }>) => {
  try {
    const { table, report } = inspectCsv(e.data.text);
    const preview: CsvPreview = { report, columns: table.columns, rows: table.rows.slice(0, 8), lines: table.rows.length };
    self.postMessage({ ok: true, preview });
  } catch (err) {
    const e2 = err as Error & { line?: number };
    self.postMessage({ ok: false, message: e2.message, line: e2.line });
  }
};

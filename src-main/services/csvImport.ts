/**
 * What a CSV import computes, wherever it runs (this thread for the CLI and tests, a worker thread for
 * the api): the dataset's summary and notes. And what it may cost: an import's peak memory grows with
 * its rows, its cells and its text. Fitted to the peak RSS of imports of 5M cells as 3, 10 and 100
 * columns (tests/integration/faults/tools/measure-import.ts: about 300 B per row, 63 B per cell,
 * 4 B per character), with some 15 % to spare. An import is sized up from a quick count of lines and
 * separators and refused before anything is allocated when it would not fit the memory it may use.
 */
import { totalmem } from 'node:os';
import { csvToDataset, DatasetError, type CsvDatasetOptions } from '../../src-engine';

/** Peak bytes per row and per cell while parsing and building a dataset (row arrays; cell strings and numbers). */
export const BYTES_PER_ROW = 360;
export const BYTES_PER_CELL = 80;
/** Peak bytes per character of the text itself (the text, its copy in the worker, the parser's slices). */
export const BYTES_PER_CHAR = 4;
/** The memory one import may use: a quarter of the machine's, at most 1.25 GiB. */
export const IMPORT_MEMORY_BYTES = Math.min(1.25 * 1024 ** 3, totalmem() / 4);

export interface ImportResult {
  task: 'classification' | 'regression';
  rows: number;
  inputs: number;
  outputs: number;
  description: string;
}

export interface ImportJob {
  text: string;
  options: CsvDatasetOptions;
}

export type ImportReply = { type: 'done'; result: ImportResult } | { type: 'error'; message: string; code: string; path?: string };

export interface ImportSize {
  lines: number;
  columns: number;
  cells: number;
  bytes: number;
}

const SEPARATORS = [',', ';', '\t'];
const MB = 1024 * 1024;

/** Lines × columns (the widest of the first lines, for any separator): an upper bound, in one pass of indexOf. */
export function estimateImport(text: string): ImportSize {
  let lines = 0;
  let firstLines: string[] = [];
  for (let at = 0; at < text.length; ) {
    const nl = text.indexOf('\n', at);
    const end = nl < 0 ? text.length : nl;
    if (firstLines.length < 20) firstLines.push(text.slice(at, end));
    if (end > at + (text.charCodeAt(end - 1) === 13 ? 1 : 0)) lines++;
    at = end + 1;
  }
  let columns = 1;
  for (const line of firstLines) for (const sep of SEPARATORS) columns = Math.max(columns, line.split(sep).length);
  firstLines = [];
  const cells = lines * columns;
  return { lines, columns, cells, bytes: lines * BYTES_PER_ROW + cells * BYTES_PER_CELL + text.length * BYTES_PER_CHAR };
}

const mb = (bytes: number): string => `${Math.ceil(bytes / MB).toLocaleString('en-US')} MB`;

/** Refuse, before allocating, a table that would not fit the memory an import may use. */
export function checkImportSize(text: string, budget = IMPORT_MEMORY_BYTES): ImportSize {
  const size = estimateImport(text);
  if (size.bytes > budget) {
    throw new DatasetError(
      `the table is too large to import: about ${size.lines.toLocaleString('en-US')} rows × ${size.columns} columns would need about ${mb(size.bytes)} of memory, ` +
        `more than the ${mb(budget)} an import may use; leave out rows or columns, or train on it from the command line`,
      'text',
    );
  }
  return size;
}

/** The message when the import's worker ran out of the memory it was given anyway. */
export function outOfMemoryError(budget = IMPORT_MEMORY_BYTES): DatasetError {
  return new DatasetError(`the table is too large to import: reading it needed more than the ${mb(budget)} an import may use; leave out rows or columns`, 'text');
}

/** Parse, check and build: the summary an import stores. Throws CsvError naming column and line. */
export function buildImport(text: string, options: CsvDatasetOptions): ImportResult {
  const { dataset, report, dropped, filled, ignored } = csvToDataset(text, options);
  const notes = [
    `${report.rows} rows read`,
    dropped ? `${dropped} dropped for bad cells` : '',
    filled ? `${filled} cells filled (${options.missing})` : '',
    ignored.length ? `ignored free-text columns: ${ignored.join(', ')}` : '',
  ].filter(Boolean);
  return {
    task: dataset.task,
    rows: dataset.x.length,
    inputs: dataset.inputNames.length,
    outputs: dataset.outputNames.length,
    description: `Imported CSV: ${notes.join('; ')}.`,
  };
}

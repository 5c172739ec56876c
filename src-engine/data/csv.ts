/**
 * CSV text → a table of string cells with the file line of every row (papaparse does the quoting).
 * Handles a BOM, CRLF, quoted separators and newlines, `,` `;` and tab separators (detected), and a
 * header row (detected); refuses ragged rows, a header without rows, an empty file and duplicate
 * column names with a CsvError that carries the line number.
 */
import Papa from 'papaparse';
import { CsvError } from './errors';

export type CsvDelimiter = ',' | ';' | '\t';
const DELIMITERS: readonly CsvDelimiter[] = [',', ';', '\t'];

/** 50 million characters: the api's limit, checked before parsing. */
export const MAX_CSV_CHARS = 50_000_000;

export interface CsvTable {
  columns: string[];
  /** rows[i] has columns.length cells, untrimmed. */
  rows: string[][];
  /** lines[i] = 1-based line of the file where rows[i] starts. */
  lines: number[];
  /** Line of the header row, or null when the file has none (columns are then col1, col2, …). */
  headerLine: number | null;
  delimiter: CsvDelimiter;
}

export interface CsvParseOptions {
  delimiter?: CsvDelimiter;
  /** true: the first row names the columns; false: it is data; absent: detected. */
  header?: boolean;
}

/** A number as written in a CSV cell: 12, -1.5, .5, 3e-4 (not 1,5, not inf). */
export const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
/** A decimal-comma number: 1,5 or -0,25. */
export const DECIMAL_COMMA_RE = /^[+-]?\d+,\d+(e[+-]?\d+)?$/i;

/** Rows of cells with the 1-based line each starts on; quote errors become CsvError. */
function parseRows(
  text: string,
  delimiter: CsvDelimiter,
  preview = 0,
): { rows: string[][]; lines: number[]; quoteError: CsvError | null } {
  const rows: string[][] = [];
  const lines: number[] = [];
  let line = 1;
  let counted = 0; // text[0, counted) has been scanned for newlines
  let cursor = 0; // end of the previous row
  let quoteError: CsvError | null = null;
  Papa.parse<string[]>(text, {
    delimiter,
    preview,
    skipEmptyLines: true,
    step: (result) => {
      let start = cursor;
      while (start < text.length && (text[start] === '\n' || text[start] === '\r')) start++;
      for (let i = counted; i < start; i++) if (text.charCodeAt(i) === 10) line++;
      counted = start;
      cursor = result.meta.cursor;
      const err = result.errors.find((e) => e.type === 'Quotes');
      if (err && !quoteError) quoteError = new CsvError(`line ${line}: ${err.message.toLowerCase()}`, line);
      rows.push(result.data);
      lines.push(line);
    },
  });
  // Reported here, not thrown in the step callback: papaparse would swallow it there.
  return { rows, lines, quoteError: quoteError as CsvError | null };
}

/** The separator whose field count is most consistent across the first rows (more fields on ties). */
function detectDelimiter(text: string): CsvDelimiter {
  let best: CsvDelimiter = ',';
  let bestScore = -1;
  let bestFields = 0;
  for (const d of DELIMITERS) {
    const { rows } = parseRows(text, d, 50);
    const fields = rows[0]?.length ?? 0;
    const score = fields > 1 ? rows.filter((r) => r.length === fields).length / rows.length : 0;
    if (score > bestScore || (score === bestScore && fields > bestFields)) {
      best = d;
      bestScore = score;
      bestFields = fields;
    }
  }
  return best;
}

function looksNumeric(cell: string): boolean {
  const s = cell.trim();
  return NUMBER_RE.test(s) || DECIMAL_COMMA_RE.test(s);
}

/** Parse CSV text into a CsvTable. Throws CsvError (with `line`, and `column` where one is at fault). */
export function parseCsv(input: string, opts: CsvParseOptions = {}): CsvTable {
  if (input.length > MAX_CSV_CHARS) {
    throw new CsvError(`the file is too large: ${input.length} characters (limit ${MAX_CSV_CHARS})`);
  }
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  if (text.trim() === '') throw new CsvError('the file is empty: no header and no rows', 1);
  const delimiter = opts.delimiter ?? detectDelimiter(text);
  const parsed = parseRows(text, delimiter);
  if (parsed.quoteError) throw parsed.quoteError;
  // A line of blanks only (e.g. trailing spaces) is not a row.
  const keep = parsed.rows.map((r) => !(r.length === 1 && r[0].trim() === ''));
  const rows = parsed.rows.filter((_, i) => keep[i]);
  const lines = parsed.lines.filter((_, i) => keep[i]);
  if (rows.length === 0) throw new CsvError('the file is empty: no header and no rows', 1);

  const header = opts.header ?? !rows[0].some(looksNumeric);
  let columns: string[];
  let headerLine: number | null = null;
  if (header) {
    headerLine = lines[0];
    columns = rows[0].map((c, j) => c.trim() || `col${j + 1}`);
    const seen = new Map<string, number>();
    columns.forEach((name, j) => {
      const first = seen.get(name);
      if (first !== undefined) {
        throw new CsvError(`line ${headerLine}: column name '${name}' appears twice (columns ${first + 1} and ${j + 1})`, headerLine!, name);
      }
      seen.set(name, j);
    });
    rows.shift();
    lines.shift();
    if (rows.length === 0) throw new CsvError(`line ${headerLine}: the file has a header but no data rows`, headerLine);
  } else {
    columns = rows[0].map((_, j) => `col${j + 1}`);
  }
  rows.forEach((r, i) => {
    if (r.length !== columns.length) {
      throw new CsvError(`line ${lines[i]}: expected ${columns.length} fields, found ${r.length}`, lines[i]);
    }
  });
  return { columns, rows, lines, headerLine, delimiter };
}

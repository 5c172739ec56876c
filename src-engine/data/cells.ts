/**
 * Cells of a CsvTable → numbers, and the per-column report the import dialog shows: which cells are
 * bad (`N/A`, empty, `1,5`, `1e309`, stray text), how many, on which lines; which columns hold class
 * labels; which are constant.
 */
import { DECIMAL_COMMA_RE, NUMBER_RE, type CsvTable } from './csv';

export type BadCellKind = 'empty' | 'missing' | 'decimal_comma' | 'overflow' | 'infinite' | 'text';

/** What the user reads for each kind of bad cell. */
export const BAD_CELL_TEXT: Readonly<Record<BadCellKind, string>> = {
  empty: 'empty',
  missing: 'missing marker (N/A, NaN, ?)',
  decimal_comma: 'decimal comma (1,5)',
  overflow: 'number too large (→ Infinity)',
  infinite: 'infinity',
  text: 'text in a numeric column',
};

/** At most this many distinct text values make a column of class labels; more make it unusable. */
export const MAX_CLASSES = 50;
const FIRST_LINES = 5;
const MISSING_RE = /^(n\/?a|nan|null|none|missing|\?|-|—)$/i;
const INFINITY_RE = /^[+-]?(inf|infinity)$/i;

export type Cell = { ok: true; value: number } | { ok: false; kind: BadCellKind };

const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * A cell written as a plain number — NUMBER_RE's form with nothing around it (12, -1.5, .5, 3e-4) —
 * as its value (±Infinity when it overflows), else NaN. The cells of a numeric table nearly all look
 * like this; scanning their characters once costs far less than the regular expressions of parseCell.
 */
export function plainNumber(s: string): number {
  const n = s.length;
  let i = 0;
  if (n > 0 && (s.charCodeAt(0) === 43 || s.charCodeAt(0) === 45)) i++;
  let digits = 0;
  while (i < n && isDigit(s.charCodeAt(i))) (i++, digits++);
  if (i < n && s.charCodeAt(i) === 46) {
    i++;
    while (i < n && isDigit(s.charCodeAt(i))) (i++, digits++);
  }
  if (digits === 0) return NaN;
  if (i < n && (s.charCodeAt(i) | 32) === 101) {
    i++;
    if (i < n && (s.charCodeAt(i) === 43 || s.charCodeAt(i) === 45)) i++;
    let exponent = 0;
    while (i < n && isDigit(s.charCodeAt(i))) (i++, exponent++);
    if (exponent === 0) return NaN;
  }
  return i === n ? Number(s) : NaN;
}

/** One cell as a number. `decimalComma` reads `1,5` as 1.5 instead of reporting it. */
export function parseCell(raw: string, decimalComma = false): Cell {
  const plain = plainNumber(raw);
  if (Number.isFinite(plain)) return { ok: true, value: plain };
  const s = raw.trim();
  if (s === '') return { ok: false, kind: 'empty' };
  if (MISSING_RE.test(s)) return { ok: false, kind: 'missing' };
  if (INFINITY_RE.test(s)) return { ok: false, kind: 'infinite' };
  let text = s;
  if (DECIMAL_COMMA_RE.test(s)) {
    if (!decimalComma) return { ok: false, kind: 'decimal_comma' };
    text = s.replace(',', '.');
  } else if (!NUMBER_RE.test(s)) {
    return { ok: false, kind: 'text' };
  }
  const value = Number(text);
  return Number.isFinite(value) ? { ok: true, value } : { ok: false, kind: 'overflow' };
}

export interface BadCells {
  count: number;
  kinds: Partial<Record<BadCellKind, number>>;
  /** Up to five file lines of bad cells, in order. */
  firstLines: number[];
}

export interface ColumnReport {
  name: string;
  /** numeric: numbers (bad cells listed); categorical: class labels; text: too many distinct texts, unusable. */
  kind: 'numeric' | 'categorical' | 'text';
  bad: BadCells;
  /** For categorical columns: the classes, sorted (numbers by value, text naturally). */
  classes?: string[];
  /** Every usable cell has the same value. */
  constant: boolean;
}

export interface CsvReport {
  delimiter: CsvTable['delimiter'];
  header: boolean;
  rows: number;
  decimalComma: boolean;
  columns: ColumnReport[];
}

/** In a class-label column only blanks and missing markers are bad; any other text is a label. */
export function badLabelCell(raw: string): BadCellKind | null {
  const s = raw.trim();
  if (s === '') return 'empty';
  return MISSING_RE.test(s) ? 'missing' : null;
}

function sortClasses(values: string[]): string[] {
  const numeric = values.every((v) => NUMBER_RE.test(v));
  return numeric ? values.sort((a, b) => Number(a) - Number(b)) : values.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** A cell's value when it is a good number, else its kind of bad cell. */
function numberOrKind(raw: string, decimalComma: boolean): number | BadCellKind {
  const plain = plainNumber(raw);
  if (Number.isFinite(plain)) return plain;
  const c = parseCell(raw, decimalComma);
  return c.ok ? c.value : c.kind;
}

function analyseColumn(table: CsvTable, j: number, decimalComma: boolean): ColumnReport {
  const name = table.columns[j];
  const rows = table.rows;
  const cells = rows.map((r) => numberOrKind(r[j], decimalComma));
  let nText = 0;
  let nNum = 0;
  for (const c of cells) {
    if (typeof c === 'number') nNum++;
    else if (c === 'text') nText++;
  }
  let kind: ColumnReport['kind'] = 'numeric';
  let classes: string[] | undefined;
  if (nText > nNum) {
    // Mostly text: class labels, where numbers-as-text are labels too; blanks and N/A stay bad.
    const distinct = new Set<string>();
    for (const r of table.rows) if (badLabelCell(r[j]) === null) distinct.add(r[j].trim());
    kind = distinct.size <= MAX_CLASSES ? 'categorical' : 'text';
    if (kind === 'categorical') classes = sortClasses([...distinct]);
  }
  const bad: BadCells = { count: 0, kinds: {}, firstLines: [] };
  // Constant: every usable cell has the value of the first (numbers compared as numbers, labels as text).
  let first: number | string | undefined;
  let constant = true;
  cells.forEach((c, i) => {
    const raw = rows[i][j];
    const badKind = kind === 'numeric' ? (typeof c === 'number' ? null : c) : badLabelCell(raw);
    if (badKind === null) {
      const value = kind === 'numeric' ? (c as number) : raw.trim();
      if (first === undefined) first = value;
      else if (value !== first) constant = false;
      return;
    }
    bad.count++;
    bad.kinds[badKind] = (bad.kinds[badKind] ?? 0) + 1;
    if (bad.firstLines.length < FIRST_LINES) bad.firstLines.push(table.lines[i]);
  });
  return { name, kind, bad, classes, constant };
}

/**
 * Report on every column. Decimal commas are read as decimals when `decimalComma` is true, or — when
 * it is absent — when the separator is not `,`, some cells have a decimal comma and none a decimal point.
 */
export function analyseTable(table: CsvTable, decimalComma?: boolean): CsvReport {
  let dc = decimalComma;
  // With `,` separating the cells no cell holds a decimal comma: nothing to count.
  if (dc === undefined && table.delimiter === ',') dc = false;
  if (dc === undefined) {
    let commas = 0;
    let points = 0;
    for (const r of table.rows) {
      for (const raw of r) {
        if (!Number.isNaN(plainNumber(raw))) {
          if (raw.includes('.')) points++;
          continue;
        }
        const s = raw.trim();
        if (DECIMAL_COMMA_RE.test(s)) commas++;
        else if (NUMBER_RE.test(s) && s.includes('.')) points++;
      }
    }
    dc = commas > 0 && points === 0;
  }
  return {
    delimiter: table.delimiter,
    header: table.headerLine !== null,
    rows: table.rows.length,
    decimalComma: dc,
    columns: table.columns.map((_, j) => analyseColumn(table, j, dc)),
  };
}

/** "column 'a': 3 bad cells (missing marker ×2, empty ×1; lines 4, 9, 12)". */
export function describeBadCells(col: ColumnReport): string {
  const kinds = Object.entries(col.bad.kinds)
    .map(([k, n]) => `${BAD_CELL_TEXT[k as BadCellKind]} ×${n}`)
    .join(', ');
  const more = col.bad.count > col.bad.firstLines.length ? ', …' : '';
  return `column '${col.name}': ${col.bad.count} bad cell${col.bad.count === 1 ? '' : 's'} (${kinds}; line${col.bad.firstLines.length === 1 ? '' : 's'} ${col.bad.firstLines.join(', ')}${more})`;
}

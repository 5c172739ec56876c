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

/** One cell as a number. `decimalComma` reads `1,5` as 1.5 instead of reporting it. */
export function parseCell(raw: string, decimalComma = false): Cell {
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

function analyseColumn(table: CsvTable, j: number, decimalComma: boolean): ColumnReport {
  const name = table.columns[j];
  const cells = table.rows.map((r) => parseCell(r[j], decimalComma));
  const nText = cells.filter((c) => !c.ok && c.kind === 'text').length;
  const nNum = cells.filter((c) => c.ok).length;
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
  const values = new Set<string>();
  cells.forEach((c, i) => {
    const raw = table.rows[i][j];
    const badKind = kind === 'numeric' ? (c.ok ? null : c.kind) : badLabelCell(raw);
    if (badKind === null) {
      values.add(kind === 'numeric' && c.ok ? String(c.value) : raw.trim());
      return;
    }
    bad.count++;
    bad.kinds[badKind] = (bad.kinds[badKind] ?? 0) + 1;
    if (bad.firstLines.length < FIRST_LINES) bad.firstLines.push(table.lines[i]);
  });
  return { name, kind, bad, classes, constant: values.size <= 1 };
}

/**
 * Report on every column. Decimal commas are read as decimals when `decimalComma` is true, or — when
 * it is absent — when the separator is not `,`, some cells have a decimal comma and none a decimal point.
 */
export function analyseTable(table: CsvTable, decimalComma?: boolean): CsvReport {
  let dc = decimalComma;
  if (dc === undefined) {
    let commas = 0;
    let points = 0;
    for (const r of table.rows) {
      for (const raw of r) {
        const s = raw.trim();
        if (DECIMAL_COMMA_RE.test(s)) commas++;
        else if (NUMBER_RE.test(s) && s.includes('.')) points++;
      }
    }
    dc = table.delimiter !== ',' && commas > 0 && points === 0;
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

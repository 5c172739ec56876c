/**
 * CSV text → Dataset, with the user's choice for bad cells: refuse (the default, with a report of
 * every bad column), drop the rows, or fill input cells with the column mean or zero. Class-label
 * columns become one-hot inputs, and a class target becomes a class index (two classes) or one-hot
 * columns (more than two), unless asked otherwise.
 */
import { analyseTable, badLabelCell, describeBadCells, parseCell, plainNumber, type ColumnReport, type CsvReport } from './cells';
import { parseCsv, type CsvParseOptions, type CsvTable } from './csv';
import { assertFinite, fitScaling, scaleRows, type Dataset, type Scaling, type Task } from './dataset';
import { CsvError } from './errors';

export type MissingPolicy = 'error' | 'drop' | 'mean' | 'zero';

export interface CsvDatasetOptions extends CsvParseOptions {
  name: string;
  /** Target column names; default: the last column. */
  target?: string[];
  /** What to do with bad cells (see cells.ts). Rows with a bad target cell are always dropped when not 'error'. */
  missing?: MissingPolicy;
  /** Default: classification when the target holds class labels, or small integers (≤ 20 distinct). */
  task?: Task;
  /** Class target as 'index' (one column 0…k−1) or 'onehot'; default: index for 2 classes, else onehot. */
  targetEncoding?: 'index' | 'onehot';
  decimalComma?: boolean;
  /** Scale the inputs (fitted on the table's rows); default none. One-hot class columns are scaled too. */
  scaling?: 'none' | Scaling['kind'];
}

export interface CsvImport {
  dataset: Dataset;
  report: CsvReport;
  /** Rows dropped for bad cells, and input cells filled. */
  dropped: number;
  filled: number;
  /** Columns left out (free text with too many distinct values). */
  ignored: string[];
}

/** Parse and analyse without building a dataset: what the import dialog shows first. */
export function inspectCsv(text: string, opts: CsvParseOptions & { decimalComma?: boolean } = {}): { table: CsvTable; report: CsvReport } {
  const table = parseCsv(text, opts);
  return { table, report: analyseTable(table, opts.decimalComma) };
}

function inferTask(col: ColumnReport, values: string[]): Task {
  if (col.kind === 'categorical') return 'classification';
  const distinct = new Set(values.map((v) => Number(v)));
  const integers = [...distinct].every((v) => Number.isInteger(v));
  return integers && distinct.size <= 20 && distinct.size < Math.max(3, values.length / 2) ? 'classification' : 'regression';
}

/** Build a Dataset from CSV text. Throws CsvError naming the column and line of the first problem. */
export function csvToDataset(text: string, opts: CsvDatasetOptions): CsvImport {
  const { table, report } = inspectCsv(text, opts);
  const cols = report.columns;
  const byName = new Map(table.columns.map((c, j) => [c, j]));
  const targetNames = opts.target ?? [table.columns[table.columns.length - 1]];
  if (targetNames.length === 0) throw new CsvError('choose at least one target column');
  const targets = targetNames.map((n) => {
    const j = byName.get(n);
    if (j === undefined) throw new CsvError(`there is no column '${n}' (columns: ${table.columns.join(', ')})`, table.headerLine ?? undefined, n);
    if (cols[j].kind === 'text') throw new CsvError(`column '${n}' holds free text (over 50 distinct values); it cannot be a target`, undefined, n);
    return j;
  });
  if (targets.length > 1 && targets.some((j) => cols[j].kind === 'categorical')) {
    throw new CsvError('a class-label target must be the only target column', undefined, cols[targets.find((j) => cols[j].kind === 'categorical')!].name);
  }
  const ignored = cols.filter((c, j) => c.kind === 'text' && !targets.includes(j)).map((c) => c.name);
  const inputs = cols.map((_, j) => j).filter((j) => !targets.includes(j) && cols[j].kind !== 'text');
  if (inputs.length === 0) throw new CsvError('the table has no input columns besides the target');
  const used = [...inputs, ...targets];

  const policy = opts.missing ?? 'error';
  const badCols = used.filter((j) => cols[j].bad.count > 0);
  if (policy === 'error' && badCols.length > 0) {
    const first = cols[badCols[0]];
    throw new CsvError(
      `bad cells — ${badCols.map((j) => describeBadCells(cols[j])).join('; ')}. Choose to drop those rows or fill them (mean or zero).`,
      first.bad.firstLines[0],
      first.name,
    );
  }
  const dc = report.decimalComma;
  const isBad = (i: number, j: number): boolean =>
    cols[j].kind === 'categorical' ? badLabelCell(table.rows[i][j]) !== null : !parseCell(table.rows[i][j], dc).ok;
  // Rows go when asked to, or when no fill makes sense: a bad target cell or a bad class label.
  const mustDrop = (j: number): boolean => policy === 'drop' || targets.includes(j) || cols[j].kind === 'categorical';
  const keep = table.rows.map((_, i) => !used.some((j) => mustDrop(j) && isBad(i, j)));
  const rows = table.rows.map((_, i) => i).filter((i) => keep[i]);
  if (rows.length === 0) throw new CsvError('no rows are left once the rows with bad cells are dropped');

  const fillValue = new Map<number, number>();
  for (const j of inputs) {
    // Only a column with bad cells is ever filled.
    if (cols[j].kind !== 'numeric' || cols[j].bad.count === 0) continue;
    const good = rows.map((i) => parseCell(table.rows[i][j], dc)).filter((c) => c.ok).map((c) => (c as { value: number }).value);
    fillValue.set(j, policy === 'mean' && good.length > 0 ? good.reduce((a, b) => a + b, 0) / good.length : 0);
  }
  let filled = 0;
  const numberAt = (i: number, j: number): number => {
    const plain = plainNumber(table.rows[i][j]);
    if (Number.isFinite(plain)) return plain;
    const c = parseCell(table.rows[i][j], dc);
    if (c.ok) return c.value;
    filled++;
    return fillValue.get(j)!;
  };
  const oneHot = (i: number, j: number): number[] => {
    const classes = cols[j].classes!;
    const k = classes.indexOf(table.rows[i][j].trim());
    return classes.map((_, c) => (c === k ? 1 : 0));
  };

  const inputNames: string[] = [];
  for (const j of inputs) {
    if (cols[j].kind === 'categorical') inputNames.push(...cols[j].classes!.map((c) => `${cols[j].name}=${c}`));
    else inputNames.push(cols[j].name);
  }
  const x = rows.map((i) => {
    const row: number[] = [];
    for (const j of inputs) {
      if (cols[j].kind === 'categorical') row.push(...oneHot(i, j));
      else row.push(numberAt(i, j));
    }
    return row;
  });

  const t = targets[0];
  const task = opts.task ?? (targets.length === 1 ? inferTask(cols[t], rows.map((i) => table.rows[i][t].trim())) : 'regression');
  let y: number[][];
  let outputNames: string[];
  let classes: string[] | undefined;
  if (task === 'classification' && targets.length === 1) {
    classes = cols[t].classes ?? [...new Set(rows.map((i) => Number(table.rows[i][t])))].sort((a, b) => a - b).map(String);
    const labelOf = (i: number): string => (cols[t].kind === 'categorical' ? table.rows[i][t].trim() : String(Number(table.rows[i][t])));
    const encoding = opts.targetEncoding ?? (classes.length === 2 ? 'index' : 'onehot');
    const index = rows.map((i) => classes!.indexOf(labelOf(i)));
    if (encoding === 'index') {
      outputNames = [cols[t].name];
      y = index.map((k) => [k]);
    } else {
      outputNames = classes.map((c) => `${cols[t].name}=${c}`);
      y = index.map((k) => classes!.map((_, c) => (c === k ? 1 : 0)));
    }
  } else {
    if (targets.some((j) => cols[j].kind !== 'numeric')) throw new CsvError('a regression target must be numeric', undefined, cols[t].name);
    outputNames = targets.map((j) => cols[j].name);
    y = rows.map((i) => targets.map((j) => parseCell(table.rows[i][j], dc)).map((c) => (c as { value: number }).value));
  }
  const scaling = opts.scaling && opts.scaling !== 'none' ? fitScaling(x, opts.scaling) : undefined;
  const dataset: Dataset = { name: opts.name, task, inputNames, outputNames, x: scaling ? scaleRows(x, scaling) : x, y, ...(classes ? { classes } : {}), ...(scaling ? { scaling } : {}) };
  assertFinite(dataset);
  return { dataset, report, dropped: table.rows.length - rows.length, filled, ignored };
}

import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { builtinDataset, csvToDataset, findBuiltin, parseCsv, sampleDataset, type DataTable, type MissingPolicy } from '../../src-engine';
import { CliError } from './errors';

const MISSING: readonly MissingPolicy[] = ['error', 'drop', 'mean', 'zero'];

const MAX_FILE = 200 * 1024 * 1024;

export function readText(file: string, what: string): string {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new CliError(`${what}: cannot read ${file} (no such file)`);
  }
  if (size > MAX_FILE) throw new CliError(`${what}: ${file} is ${(size / 1e6).toFixed(0)} MB; the limit is ${MAX_FILE / 1e6} MB`);
  return readFileSync(file, 'utf8');
}

/** A CSV of numbers (header optional) → rows; names file, line and column of a bad cell. */
export function readNumberCsv(file: string, what: string): number[][] {
  const text = readText(file, what);
  let table;
  try {
    table = parseCsv(text);
  } catch (e) {
    throw new CliError(`${what}: ${file}: ${(e as Error).message}`);
  }
  return table.rows.map((row, i) =>
    row.map((cell, j) => {
      const s = cell.trim();
      const v = s === '' ? NaN : Number(s);
      if (!Number.isFinite(v)) {
        throw new CliError(`${what}: ${file} line ${table.lines[i]}, column ${j + 1} ('${table.columns[j]}'): '${cell}' is not a finite number`);
      }
      return v;
    }),
  );
}

export interface DataArgs {
  input?: string;
  target?: string;
  data?: string;
  'target-column'?: string;
  missing?: string;
  dataset?: string;
  noise?: string;
  points?: string;
  seed?: string;
}

/** Loads training data from --input/--target, --data/--target-column or --dataset. */
export function loadData(a: DataArgs): DataTable & { name: string } {
  if (a.input || a.target) {
    if (!a.input || !a.target) throw new CliError('give both --input X.csv and --target Y.csv');
    const x = readNumberCsv(a.input, '--input');
    const y = readNumberCsv(a.target, '--target');
    if (x.length !== y.length) throw new CliError(`--input has ${x.length} rows but --target has ${y.length}`);
    return { name: a.input, x, y };
  }
  if (a.data) {
    const text = readText(a.data, '--data');
    const target = a['target-column'] ? a['target-column'].split(',') : undefined;
    const missing = (a.missing ?? 'error') as MissingPolicy;
    if (!MISSING.includes(missing)) throw new CliError(`--missing must be drop, mean or zero, got '${a.missing}'`, 'invalid_input', '--missing');
    try {
      const { dataset } = csvToDataset(text, { name: a.data, target, missing, header: true });
      return { name: a.data, x: dataset.x, y: dataset.y, task: dataset.task };
    } catch (e) {
      throw new CliError(`--data ${a.data}: ${(e as Error).message}`);
    }
  }
  if (a.dataset) {
    try {
      const meta = findBuiltin(a.dataset);
      if (meta.file) {
        const text = readText(resolve(import.meta.dirname, '../../resources/datasets', meta.file), '--dataset');
        const ds = sampleDataset(a.dataset, text);
        return { name: a.dataset, x: ds.x, y: ds.y, task: ds.task };
      }
      const ds = builtinDataset(a.dataset, {
        noise: a.noise !== undefined ? Number(a.noise) : undefined,
        points: a.points !== undefined ? Number(a.points) : undefined,
        seed: a.seed !== undefined ? Number(a.seed) : undefined,
      });
      return { name: a.dataset, x: ds.x, y: ds.y, task: ds.task };
    } catch (e) {
      if (e instanceof CliError) throw e;
      throw new CliError(`--dataset ${a.dataset}: ${(e as Error).message}`);
    }
  }
  throw new CliError('no data: give --input X.csv --target Y.csv, --data FILE.csv --target-column NAME, or --dataset NAME');
}

import { initialModel, type DataTable, type ModelJson, type TrainingBlock } from '../../src-engine';
import { startWorker } from '../shared';
import { CliError } from './errors';

export interface CompareRun {
  optimizer: { name: string; [k: string]: unknown };
  final_loss: number | null;
  history: { epoch: number; loss: number; val_loss: number | null }[];
  seconds: number;
  flags: { kind: string; node: string; epoch: number }[];
  error?: string;
}

/**
 * Trains one copy of the model per optimizer, in parallel worker threads, from identical initial
 * weights (initialized once here, as TrainingSession would) and the same data order (same seed).
 * Each worker runs the same TrainingSession as `train`, on the same data and targets.
 */
export async function runCompare(model: ModelJson, data: DataTable, base: TrainingBlock, names: string[], lr?: number): Promise<{ runs: CompareRun[]; wall_seconds: number }> {
  if (names.length === 0) throw new CliError('--optimizers lists no optimizer');
  const seeded = initialModel(model, base);
  const t0 = performance.now();
  const runs = await Promise.all(
    names.map(
      (name) =>
        new Promise<CompareRun>((resolveRun) => {
          const optimizer = { ...(base.optimizer?.name === name ? base.optimizer : {}), name, ...(lr !== undefined ? { lr } : {}) };
          const training = { ...base, optimizer };
          const worker = startWorker(new URL(`./compare-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url), { model: seeded, data, training });
          worker.once('message', (m: CompareRun) => resolveRun(m));
          worker.once('error', (e) => resolveRun({ optimizer, final_loss: null, history: [], seconds: 0, flags: [], error: e.message }));
        }),
    ),
  );
  return { runs, wall_seconds: (performance.now() - t0) / 1000 };
}

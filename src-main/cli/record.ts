import { basename } from 'node:path';
import { analyzeGraph, type DataTable, type HealthFlag, type MetricPoint, type ModelJson, type TrainingBlock } from '../../src-engine';
import { ProjectStore, type RunInProjectInput } from '../services';

/** Metric points are appended at most this often while training (one transaction per batch). */
export const RECORD_FLUSH_MS = 250;
/** How long a write waits for the app's (or another run's) write to finish before giving up with a clear message. */
export const RECORD_BUSY_TIMEOUT_MS = 30_000;

export interface RecordTarget {
  db: string;
  projectName: string;
  model: ModelJson;
  training: TrainingBlock;
  /** `--dataset NAME`: the project trains on that built-in set. */
  dataset?: string;
  /** `--data FILE.csv`: the table is stored in the library with how it was read, and the project trains on it. */
  table?: { file: string; csv: string; target?: string[]; missing?: string; data: DataTable };
}

export interface RecordEnd {
  status: 'completed' | 'stopped' | 'failed';
  reason: string | null;
  model: ModelJson | null;
}

/**
 * A CLI run recorded in a library file as it trains, exactly as the app records its own: created at
 * the start (its project found by name or created, in one transaction, so concurrent runs share one
 * project of one name), metric points appended in batches, finished — last points, model, status —
 * in one transaction. Killed at any moment, the run reads "interrupted at epoch N" with its points up
 * to the last batch the next time any process opens the library. Each write waits its turn for the
 * library's write lock (the app, the web host and other runs write too), at most RECORD_BUSY_TIMEOUT_MS.
 */
export class RunRecorder {
  readonly runId: string;
  readonly projectId: string;
  private readonly store: ProjectStore;
  private points: MetricPoint[] = [];
  private flags: HealthFlag[] = [];
  private lastFlush = Date.now();
  private epochs = 0;
  private last: MetricPoint | undefined;

  constructor(target: RecordTarget) {
    this.store = new ProjectStore({ path: target.db, owner: 'command line', busyTimeoutMs: RECORD_BUSY_TIMEOUT_MS });
    try {
      this.store.markInterruptedRuns();
      const { project, run } = this.store.startRunInProject(runInProject(target));
      this.runId = run.id;
      this.projectId = project.id;
    } catch (e) {
      this.store.close();
      throw e;
    }
  }

  /** One epoch's point and flags; written in a batch when RECORD_FLUSH_MS have passed since the last. */
  epoch(point: MetricPoint, flags: readonly HealthFlag[]): void {
    this.points.push(point);
    this.flags.push(...flags);
    this.epochs = point.epoch;
    this.last = point;
    if (Date.now() - this.lastFlush >= RECORD_FLUSH_MS) this.flush();
  }

  /** Throws LibraryFullError / BusyError: the caller stops training. Nothing of a failed batch is kept. */
  flush(): void {
    this.lastFlush = Date.now();
    if (this.points.length === 0 && this.flags.length === 0) return;
    const points = this.points;
    const flags = this.flags;
    this.points = [];
    this.flags = [];
    this.store.appendMetricBatches([{ runId: this.runId, points, flags }]);
  }

  /** The end, with the points not yet written, in one transaction. */
  finish(end: RecordEnd): void {
    this.store.finishRun(this.runId, {
      status: end.status,
      reason: end.reason,
      model: end.model,
      epochs: this.epochs,
      finalLoss: this.last && Number.isFinite(this.last.loss) ? this.last.loss : null,
      finalAccuracy: this.last?.accuracy ?? null,
      points: this.points,
      flags: this.flags,
    });
    this.points = [];
    this.flags = [];
  }

  /** Best effort after a failure (the disk is full): the run ends failed with the reason, if even that fits. */
  fail(reason: string): void {
    try {
      this.store.setRunStatus(this.runId, 'failed', reason);
    } catch {
      // The library cannot take even that: it reads "interrupted at epoch N" at its next open.
    }
  }

  close(): void {
    this.store.close();
  }
}

function runInProject(t: RecordTarget): RunInProjectInput {
  const graph = { nodes: t.model.nodes, outputs: t.model.outputs };
  const layout = Object.fromEntries(analyzeGraph(graph).order.map((id, i) => [id, { x: i * 190, y: 80 }]));
  const dataset = t.dataset ? { kind: 'builtin' as const, name: t.dataset } : { kind: 'builtin' as const, name: 'xor' };
  const input: RunInProjectInput = { projectName: t.projectName, content: { graph, layout, dataset, training: t.training }, training: t.training, graph };
  if (t.table) {
    const { data } = t.table;
    // Stored as `datasets.importCsv` stores a table: the text and how it was read, so the app loads the same rows.
    input.table = {
      name: basename(t.table.file),
      csv: t.table.csv,
      options: { missing: t.table.missing, target: t.table.target },
      summary: {
        task: data.task ?? 'regression',
        rows: data.x.length,
        inputs: data.x[0]?.length ?? 0,
        outputs: data.y[0]?.length ?? 0,
        description: `Imported CSV: ${data.x.length} rows, from the command line (${basename(t.table.file)}).`,
      },
    };
  }
  return input;
}

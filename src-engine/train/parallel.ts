/**
 * Data-parallel training, the pure half. A batch of n rows is cut into k fixed shards — shard s holds
 * rows [⌊s·n/k⌋, ⌊(s+1)·n/k⌋) of the batch — each shard's mean gradient is computed at the same θ,
 * and the shards are reduced in shard order,
 *
 *   g = Σ_s (n_s/n)·g_s          (summed in double precision, s = 0, 1, …, k−1, rounded once),
 *
 * which is the gradient of the batch's mean loss; the optimizer then steps once, on one thread.
 * Shard 0 runs in the session's own model; shards 1…k−1 run in a ShardPeers: `LocalShards` here
 * (one after the other, on the same thread) or the host's threads (src-main/trainer/shards.ts).
 * Both run ShardWorker, the same code as shard 0, so a run depends on its seed and k only, never on
 * where its shards ran. Random layers (Dropout, RReLU) draw, per step, from a generator seeded with
 * (step seed, shard): the step seed comes from the session's one stream, so masks are reproducible.
 *
 * Not sharded: layers that keep batch statistics (BatchNorm1d normalises with the mean and variance
 * of the whole batch; a shard would see only its part — refused for workers ≥ 2, 'auto' picks 1),
 * and Levenberg–Marquardt (its Jacobian is built one residual at a time; refused by checkTraining).
 */
import { compile, type Model } from '../graph';
import type { LossDef, RunMode } from '../layers';
import { lossDef } from '../losses';
import { Rng, type Buf, type Mat } from '../tensor';
import { TrainingError, type ResolvedTraining } from './block';
import { measureRows } from './measure';
import { BatchObjective } from './objective';
import { shardSeed, shardStart, type ShardPeers, type ShardPlan, type ShardResult, type ShardSpec } from './shards';

/** A step is worth two threads from this many multiply-adds of its Linear layers (≈ rows × parameters) on. */
const AUTO_WORK = 1 << 22;
/** …and only with at least this many rows per shard. */
const AUTO_ROWS = 16;

/**
 * The shard count a run uses: `workers` as given, or for 'auto' 2 when a step has enough work
 * (batch rows × parameters ≥ 2²², at least 16 rows a shard) and nothing keeps batch statistics,
 * else 1. Decided from the model and the batch alone, so 'auto' gives the same numbers on every
 * machine. workers ≥ 2 with BatchNorm1d is refused (TrainingError at training.workers).
 */
export function resolveWorkers(t: ResolvedTraining, model: Model, batchRows: number): number {
  const stateful = model.states[0]?.node;
  if (t.workers === 'auto') {
    const worth = batchRows >= 2 * AUTO_ROWS && batchRows * model.theta.length >= AUTO_WORK;
    return worth && !stateful && t.optimizer.name !== 'levenberg_marquardt' ? 2 : 1;
  }
  if (t.workers > 1 && stateful) {
    const type = model.node(stateful)?.type ?? 'BatchNorm1d';
    throw new TrainingError(
      `${type} ${stateful} normalises with the statistics of the whole batch, which data-parallel shards would each see only a part of; set workers to 1 (or "auto", which picks 1 here)`,
      'training.workers',
    );
  }
  return t.workers;
}

/**
 * One shard's computation, in its own model: θ copied in, the shard's rows gathered, forward, loss
 * (+ entropy) and backward in training mode. Runs in LocalShards and in the host's shard threads.
 */
export class ShardWorker {
  readonly model: Model;
  private readonly objective: BatchObjective;
  private readonly mode: RunMode = { train: true, stochastic: true, rng: new Rng(0) };
  private readonly source: { x: Mat; y: Mat };
  private readonly loss: LossDef;

  constructor(
    private readonly spec: ShardSpec,
    x: Mat,
    y: Mat,
  ) {
    this.source = { x, y };
    const { params: _p, ...structure } = spec.model;
    this.model = compile(structure, { dtype: spec.dtype, seed: 0 });
    const loss: LossDef = (this.loss = lossDef(spec.loss)!);
    this.objective = new BatchObjective(this.model, x, y, { loss, mode: this.mode, regularization: spec.entropy ? { entropy: spec.entropy } : null });
  }

  /** Shard s of k of the batch rows[from…to) at θ. The gradient is the model's (valid until the next compute). */
  compute(theta: Buf, rows: Int32Array, from: number, to: number, k: number, s: number, seed: number): ShardResult {
    const n = to - from;
    this.model.theta.set(theta);
    this.objective.setRows(this.source, rows, from + shardStart(n, k, s), from + shardStart(n, k, s + 1));
    this.mode.rng.reset(shardSeed(seed, s));
    const total = this.objective.evaluateData();
    // Read the gradient after the pass: a first, larger batch may have re-made the arena's views.
    return { dataLoss: this.objective.dataLoss, total, grad: this.model.grad };
  }

  /** Hits (measureRows) of θ in eval mode on training rows [from, to). */
  hits(theta: Buf, from: number, to: number): number {
    this.model.theta.set(theta);
    return measureRows(this.model, this.loss, this.spec.encoding ?? null, this.source, from, to, false).hits;
  }
}

/** Shards 1…k−1 computed one after the other on this thread (where no threads are given): the same numbers, no speed-up. */
export class LocalShards implements ShardPeers {
  private readonly worker: ShardWorker;
  private readonly grads: Buf[] = [];
  /** θ as start() saw it: the caller's view may be re-made (its arena grown) before finish(). */
  private readonly theta: Buf;
  private job: { rows: Int32Array; from: number; to: number; k: number; seed: number } | null = null;
  private hitsJob: { n: number; k: number } | null = null;

  constructor(plan: ShardPlan) {
    this.worker = new ShardWorker(plan.spec, plan.x, plan.y);
    this.theta = plan.spec.dtype === 'float64' ? new Float64Array(plan.size) : new Float32Array(plan.size);
  }

  start(theta: Buf, rows: Int32Array, from: number, to: number, k: number, seed: number): void {
    this.theta.set(theta);
    this.job = { rows, from, to, k, seed };
  }

  finish(): readonly ShardResult[] {
    const j = this.job!;
    const out: ShardResult[] = [];
    for (let s = 1; s < j.k; s++) {
      const r = this.worker.compute(this.theta, j.rows, j.from, j.to, j.k, s, j.seed);
      // One model computes every shard: keep each gradient before the next shard overwrites it.
      const g = (this.grads[s - 1] ??= r.grad instanceof Float32Array ? new Float32Array(r.grad.length) : new Float64Array(r.grad.length));
      g.set(r.grad);
      out.push({ dataLoss: r.dataLoss, total: r.total, grad: g });
    }
    return out;
  }

  startHits(theta: Buf, n: number, k: number): void {
    this.theta.set(theta);
    this.hitsJob = { n, k };
  }

  finishHits(): number {
    const { n, k } = this.hitsJob!;
    let hits = 0;
    for (let s = 1; s < k; s++) hits += this.worker.hits(this.theta, shardStart(n, k, s), shardStart(n, k, s + 1));
    return hits;
  }

  close(): void {}
}

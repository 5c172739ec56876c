/**
 * The shapes data-parallel training is made of (train/parallel.ts tells the whole story): how a batch
 * is cut into shards, what a shard needs, what it returns, and the peers that compute shards 1…k−1.
 * Apart from parallel.ts so that BatchObjective can reduce shards without importing ShardWorker.
 */
import type { ModelJson } from '../graph';
import type { Buf, DType, Mat } from '../tensor';
import type { TargetEncoding } from './targets';

/** What a shard needs to know besides the data: the graph (θ arrives every step), its dtype, the loss. Plain JSON, for postMessage. */
export interface ShardSpec {
  model: ModelJson;
  dtype: DType;
  loss: string;
  /** λ of the entropy penalty (it is a mean over rows, so it shards like the loss); 0 for none. */
  entropy: number;
  /** For class data: how targets are encoded, so that shards can count hits for the accuracy. */
  encoding?: TargetEncoding;
}

/** Everything a ShardPeers is built from: the spec, the shard count, the training rows, the largest batch. */
export interface ShardPlan {
  spec: ShardSpec;
  /** k: shards per batch (shard 0 is the session's, the peers compute 1…k−1). */
  shards: number;
  /** The training split: x in the model's dtype, y as the loss reads it (float64). */
  x: Mat;
  y: Mat;
  /** Rows of the largest batch. */
  maxRows: number;
  /** Parameters (length of θ and of every gradient). */
  size: number;
}

/** One shard's result: its data loss, that plus its entropy penalty, and its mean gradient ∂/∂θ. */
export interface ShardResult {
  dataLoss: number;
  total: number;
  grad: Buf;
}

/** Computes shards 1…k−1 of each batch: started, then waited for, once per evaluation. */
export interface ShardPeers {
  /**
   * Starts shards 1…k−1 of the batch rows[from…to) (indices into the plan's training rows) at θ, with
   * `seed` the step's seed. Returns at once when they run elsewhere.
   */
  start(theta: Buf, rows: Int32Array, from: number, to: number, k: number, seed: number): void;
  /** Waits for them: result s − 1 is shard s's (its gradient valid until the next start). */
  finish(): readonly ShardResult[];
  /**
   * Starts shards 1…k−1 counting hits (see measureRows) of θ in eval mode, shard s on rows
   * [shardStart(n, k, s), shardStart(n, k, s + 1)) of the training rows; the spec has an encoding.
   */
  startHits(theta: Buf, n: number, k: number): void;
  /** Waits for them; their hits, summed. */
  finishHits(): number;
  /** Frees what the peers hold (threads, memory); the session calls it when the run ends. */
  close(): void;
}

/** Builds the peers of a plan; the host passes one that runs shards on threads. */
export type ShardPeersFactory = (plan: ShardPlan) => ShardPeers;

/** First row of shard s of k in a batch of n rows (shard s is [shardStart(n, k, s), shardStart(n, k, s + 1))). */
export function shardStart(n: number, k: number, s: number): number {
  return Math.floor((s * n) / k);
}

/** Shards a batch of n rows is cut into: k, or n when the batch has fewer rows than that. */
export function shardCount(n: number, k: number): number {
  return Math.max(1, Math.min(k, n));
}

/** The seed of shard s's random layers in the step seeded `seed`. */
export function shardSeed(seed: number, s: number): number {
  return (seed ^ Math.imul(s + 1, 0x9e3779b9)) >>> 0;
}

/** Rows rows[from…to) of src copied into dst (row-major, dst's dtype): a batch gathered in place. */
export function gatherRows(src: Mat, rows: ArrayLike<number>, from: number, to: number, dst: Buf): void {
  const c = src.cols;
  const data = src.data;
  const same = data.constructor === dst.constructor;
  for (let r = from; r < to; r++) {
    const s = rows[r] * c;
    const d = (r - from) * c;
    if (same && c >= 16) dst.set(data.subarray(s, s + c), d);
    else for (let j = 0; j < c; j++) dst[d + j] = data[s + j];
  }
}


/** The weight n_s/n of shard s of k in a batch of n rows. */
export function shardWeight(n: number, k: number, s: number): number {
  return (shardStart(n, k, s + 1) - shardStart(n, k, s)) / n;
}

/**
 * g ← Σ_s (n_s/n)·g_s over the k shards of an n-row batch, in shard order: `g` holds shard 0's mean
 * gradient on entry and the batch's on return; each element is summed in double and rounded once, so
 * the bits depend on k alone. (For k = 2 the model does the same sum in its SIMD kernel: Model.blendGrad.)
 */
export function reduceShards(g: Buf, others: readonly ShardResult[], n: number, k: number): void {
  const w = Float64Array.from({ length: k }, (_, s) => shardWeight(n, k, s));
  const gs = others.map((o) => o.grad);
  for (let i = 0; i < g.length; i++) {
    let v = w[0] * g[i];
    for (let s = 1; s < k; s++) v += w[s] * gs[s - 1][i];
    g[i] = v;
  }
}

/** The batch's losses from its shards' (shard 0's is `first`), weighted n_s/n and summed in shard order. */
export function reduceLosses(first: { dataLoss: number; total: number }, others: readonly ShardResult[], n: number, k: number): { dataLoss: number; total: number } {
  const w0 = shardWeight(n, k, 0);
  let dataLoss = w0 * first.dataLoss;
  let total = w0 * first.total;
  for (let s = 1; s < k; s++) {
    const w = shardWeight(n, k, s);
    dataLoss += w * others[s - 1].dataLoss;
    total += w * others[s - 1].total;
  }
  return { dataLoss, total };
}

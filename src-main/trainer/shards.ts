/**
 * The threads of data-parallel training (the engine's pure half is src-engine/train/parallel.ts):
 * shards 1…k−1 of every batch computed in worker threads, each running the engine's ShardWorker,
 * while the session computes shard 0 and then reduces them in shard order.
 *
 * Everything a step exchanges lives in SharedArrayBuffers, and the session's step is synchronous, so
 * the hand-over is Atomics: the session writes θ and the batch's row indices and bumps `go`; each
 * helper computes its shard, writes its gradient and losses, and stores the step number in its `done`
 * slot (see SLOT for who spins and who sleeps). No message crosses the event loop during training. The training rows are copied into
 * shared memory once, when the plan arrives.
 *
 * Helpers are worker.ts threads started with `{ shardHelper: … }` (src-main/trainer/shardHelper.ts),
 * so the app's build needs no extra entry. They can be started before the data is read
 * (`prestart`), to hide their start-up behind loading it. Until every helper is ready (starting a
 * thread under tsx takes about half a second) the session's thread computes their shards itself,
 * with the same ShardWorker: the numbers cannot tell, and no step waits for a thread to start.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { LocalShards, NeurographError, type Buf, type ShardPeers, type ShardPlan, type ShardResult } from '../../src-engine';
import { startWorker } from '../shared';

/**
 * Slots of the control block (Int32Array). Helper h (1…k−1) has PER slots from HELPER + PER·(h−1):
 * `done` (the last step it finished), its status, and whether it sleeps on `go`; `mainAsleep` is
 * set while the session sleeps on a `done`. A wake-up (Atomics.notify: a system call, and on a
 * virtual machine waking an idle core took up to half a millisecond) is made only for a thread that
 * sleeps: a waiting thread first spins for up to SPIN_MS, which covers the gap between two steps.
 */
export const SLOT = { go: 0, stop: 1, rows: 2, k: 3, seed: 4, mainAsleep: 5, op: 6, HELPER: 8, PER: 3 } as const;
/** What `go` asks for: a shard's gradient of the batch, or its hits on its part of the training rows. */
export const OP = { gradient: 0, hits: 1 } as const;
/** How long a waiting thread checks its slot before it sleeps on it. */
export const SPIN_MS = 5;

/** A helper's status: 0 starting, 1 ready, 2 failed (its message in the error buffer). */
export const STATUS = { starting: 0, ready: 1, failed: 2 } as const;
const ERROR_BYTES = 4096;

/** How long a helper may take to answer one step. */
const STEP_MS = 600_000;

/** Spins until ctrl[slot] !== value or SPIN_MS passed; true when it changed. */
export function spinWhile(ctrl: Int32Array, slot: number, value: number): boolean {
  const until = performance.now() + SPIN_MS;
  for (;;) {
    for (let i = 0; i < 256; i++) if (Atomics.load(ctrl, slot) !== value) return true;
    if (performance.now() > until) return false;
  }
}

/** What a helper thread gets once the plan is known (posted to it; the buffers are shared, not copied). */
export interface ShardHelperInit {
  type: 'shard-init';
  spec: ShardPlan['spec'];
  /** This helper's shard, 1…k−1. */
  shard: number;
  ctrl: SharedArrayBuffer;
  losses: SharedArrayBuffer;
  errors: SharedArrayBuffer;
  theta: SharedArrayBuffer;
  rows: SharedArrayBuffer;
  grad: SharedArrayBuffer;
  x: { buffer: SharedArrayBuffer; rows: number; cols: number };
  y: { buffer: SharedArrayBuffer; rows: number; cols: number };
}

/** A data-parallel helper thread failed, or stopped answering. */
export class ShardThreadError extends NeurographError {
  constructor(message: string) {
    super(message, 'failed', 'training.workers');
  }
}

const shared = (bytes: number) => new SharedArrayBuffer(Math.max(8, bytes));

/** Peers on threads, and what a caller may ask them beyond ShardPeers. */
export interface ShardThreadPeers extends ShardPeers {
  /** True once every helper thread runs (before, their shards are computed on the caller's thread). */
  ready(): boolean;
  /** Evaluations whose shards 1…k−1 the threads computed, so far. */
  readonly threadedSteps: number;
}

/** The thread entry: worker.ts next to this module (worker.js in the app's build). */
const defaultEntry = () => new URL(`./worker.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url);

/**
 * Peers on worker threads for the engine's TrainingSession (`new TrainingSession(…, { shards })`).
 * `prestart` threads begin booting now, before any plan; `entry` is the module they run (worker.ts).
 * On a machine with one core the shards run on the session's thread (the same numbers, no threads).
 */
export function shardThreads(options: { prestart?: number; entry?: URL } = {}): ((plan: ShardPlan) => ShardThreadPeers) & { close(): void } {
  const entry = options.entry ?? defaultEntry();
  const waiting: Worker[] = [];
  const spawn = (): Worker => {
    const w = startWorker(entry, { shardHelper: true });
    // Helpers never keep the process alive: a session that was not closed still lets it exit.
    w.unref();
    return w;
  };
  if (availableParallelism() > 1) for (let i = 0; i < (options.prestart ?? 0); i++) waiting.push(spawn());
  const factory = (plan: ShardPlan): ShardThreadPeers => {
    if (availableParallelism() < 2) {
      factory.close();
      const local = new LocalShards(plan);
      return Object.assign(local, { ready: () => true, threadedSteps: 0 });
    }
    const threads = Array.from({ length: plan.shards - 1 }, () => waiting.shift() ?? spawn());
    factory.close();
    return new ShardThreads(plan, threads);
  };
  /** Ends prestarted threads no plan took. */
  factory.close = (): void => {
    for (const w of waiting.splice(0)) void w.terminate();
  };
  return factory;
}

class ShardThreads implements ShardThreadPeers {
  threadedSteps = 0;
  private readonly ctrl: Int32Array;
  private readonly losses: Float64Array;
  private readonly errors: Uint8Array;
  private readonly theta: Buf;
  private readonly rows: Int32Array;
  private readonly results: ShardResult[];
  private seq = 0;
  private k = 1;
  private ready_ = false;
  private closed = false;
  /** Shards computed on this thread while the helpers start (null once they all run). */
  private local: LocalShards | null;
  /** Whether the current step's shards went to the local fallback. */
  private here = false;

  constructor(
    plan: ShardPlan,
    private readonly threads: Worker[],
  ) {
    this.local = new LocalShards(plan);
    const helpers = threads.length;
    const f32 = plan.x.data instanceof Float32Array;
    const bytes = f32 ? 4 : 8;
    const view = (b: SharedArrayBuffer): Buf => (f32 ? new Float32Array(b) : new Float64Array(b));
    const ctrl = shared(4 * (SLOT.HELPER + SLOT.PER * helpers));
    const losses = shared(8 * 2 * helpers);
    const errors = shared(ERROR_BYTES * helpers);
    const theta = shared(bytes * plan.size);
    const rows = shared(4 * plan.maxRows);
    this.ctrl = new Int32Array(ctrl);
    this.losses = new Float64Array(losses);
    this.errors = new Uint8Array(errors);
    this.theta = view(theta);
    this.rows = new Int32Array(rows);
    // The training rows, once, where every helper reads them.
    const x = shared(bytes * plan.x.data.length);
    view(x).set(plan.x.data);
    const y = shared(8 * plan.y.data.length);
    new Float64Array(y).set(plan.y.data);
    this.results = threads.map((w, i) => {
      const grad = shared(bytes * plan.size);
      const init: ShardHelperInit = {
        type: 'shard-init',
        spec: plan.spec,
        shard: i + 1,
        ctrl,
        losses,
        errors,
        theta,
        rows,
        grad,
        x: { buffer: x, rows: plan.x.rows, cols: plan.x.cols },
        y: { buffer: y, rows: plan.y.rows, cols: plan.y.cols },
      };
      w.postMessage(init);
      // A thread that cannot start (or dies) says so when this thread next turns its event loop.
      w.once('error', (err) => this.markFailed(i, err.message));
      w.once('exit', (code) => this.markFailed(i, `its thread exited with code ${code}`));
      return { dataLoss: NaN, total: NaN, grad: view(grad) };
    });
  }

  start(theta: Buf, rows: Int32Array, from: number, to: number, k: number, seed: number): void {
    if (this.startHere()) return this.local!.start(theta, rows, from, to, k, seed);
    this.theta.set(theta);
    const n = to - from;
    for (let i = 0; i < n; i++) this.rows[i] = rows[from + i];
    this.go(OP.gradient, n, k, seed);
    this.threadedSteps++;
  }

  ready(): boolean {
    if (!this.ready_) this.ready_ = this.allReady();
    return this.ready_;
  }

  finish(): readonly ShardResult[] {
    if (this.here) return this.local!.finish();
    this.waitAll();
    for (let h = 0; h < this.k - 1; h++) {
      const r = this.results[h];
      r.dataLoss = this.losses[2 * h];
      r.total = this.losses[2 * h + 1];
    }
    return this.results;
  }

  startHits(theta: Buf, n: number, k: number): void {
    if (this.startHere()) return this.local!.startHits(theta, n, k);
    this.theta.set(theta);
    this.go(OP.hits, n, k, 0);
  }

  finishHits(): number {
    if (this.here) return this.local!.finishHits();
    this.waitAll();
    let hits = 0;
    for (let h = 0; h < this.k - 1; h++) hits += this.losses[2 * h];
    return hits;
  }

  /** True when this step's shards run on this thread: some helper has not started yet. Throws if one failed. */
  private startHere(): boolean {
    if (this.closed) throw new ShardThreadError('the data-parallel threads were closed');
    this.here = !this.ready();
    if (!this.here) this.local = null;
    return this.here;
  }

  private go(op: number, n: number, k: number, seed: number): void {
    const c = this.ctrl;
    c[SLOT.op] = op;
    c[SLOT.rows] = n;
    c[SLOT.k] = k;
    c[SLOT.seed] = seed | 0;
    this.k = k;
    Atomics.store(c, SLOT.go, ++this.seq);
    for (let h = 0; h < k - 1; h++) {
      if (Atomics.load(c, helperSlots(h + 1).asleep) === 1) {
        Atomics.notify(c, SLOT.go);
        break;
      }
    }
  }

  /** Blocks until helpers 1…k−1 finished step `seq` (spinning first), or throws why not. */
  private waitAll(): void {
    const c = this.ctrl;
    for (let h = 0; h < this.k - 1; h++) {
      const { done: slot, status } = helperSlots(h + 1);
      let waited = 0;
      const before = Atomics.load(c, slot);
      if (before !== this.seq) spinWhile(c, slot, before);
      for (;;) {
        const done = Atomics.load(c, slot);
        if (done === this.seq) break;
        if (Atomics.load(c, status) === STATUS.failed) this.fail(h);
        Atomics.store(c, SLOT.mainAsleep, 1);
        const woke = Atomics.wait(c, slot, done, 1000);
        Atomics.store(c, SLOT.mainAsleep, 0);
        if (woke === 'timed-out' && (waited += 1000) >= STEP_MS) {
          throw new ShardThreadError(`data-parallel shard ${h + 1} has not answered for ${STEP_MS / 1000} s`);
        }
      }
      if (Atomics.load(c, status) === STATUS.failed) this.fail(h);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.ctrl, SLOT.stop, 1);
    Atomics.add(this.ctrl, SLOT.go, 1);
    Atomics.notify(this.ctrl, SLOT.go);
    // They leave their loop on `stop`; terminate in case one is still starting.
    for (const w of this.threads) void w.terminate();
  }

  /** Every helper has built its model; throws why not when one could not. */
  private allReady(): boolean {
    for (let h = 0; h < this.threads.length; h++) {
      const status = Atomics.load(this.ctrl, helperSlots(h + 1).status);
      if (status === STATUS.failed) this.fail(h);
      if (status !== STATUS.ready) return false;
    }
    return true;
  }

  /** Records why helper h stopped (unless the run closed it, or it said so itself). */
  private markFailed(h: number, reason: string): void {
    const { status, done } = helperSlots(h + 1);
    if (this.closed || Atomics.load(this.ctrl, status) === STATUS.failed) return;
    const bytes = this.errors.subarray(h * ERROR_BYTES, (h + 1) * ERROR_BYTES);
    bytes.fill(0);
    new TextEncoder().encodeInto(reason.slice(0, ERROR_BYTES / 4), bytes);
    Atomics.store(this.ctrl, status, STATUS.failed);
    Atomics.notify(this.ctrl, done);
  }

  private fail(h: number): never {
    const bytes = this.errors.subarray(h * ERROR_BYTES, (h + 1) * ERROR_BYTES);
    const end = bytes.indexOf(0);
    const text = new TextDecoder().decode(bytes.slice(0, end < 0 ? bytes.length : end));
    this.close();
    throw new ShardThreadError(`data-parallel shard ${h + 1} failed: ${text || 'no reason given'}`);
  }
}

/** Where the slots and error text of the helper computing `shard` (1…k−1) are. */
export function helperSlots(shard: number): { done: number; status: number; asleep: number; error: number; errorBytes: number } {
  const at = SLOT.HELPER + SLOT.PER * (shard - 1);
  return { done: at, status: at + 1, asleep: at + 2, error: (shard - 1) * ERROR_BYTES, errorBytes: ERROR_BYTES };
}

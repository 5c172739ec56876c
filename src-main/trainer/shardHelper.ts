/**
 * One data-parallel helper thread (shards.ts describes the hand-over). Waits for its plan, builds the
 * engine's ShardWorker over the shared training rows, then loops: wait for `go`, compute its shard of
 * the batch at the θ in shared memory, write the gradient and losses, store the step number in `done`.
 * Blocks its own thread in Atomics.wait between steps: it has nothing else to do.
 */
import { parentPort } from 'node:worker_threads';
import { shardStart, ShardWorker, type Mat } from '../../src-engine';
import { helperSlots, OP, SLOT, spinWhile, STATUS, type ShardHelperInit } from './shards';

/** Runs the helper in this thread: called by worker.ts when its workerData says `shardHelper`. */
export function runShardHelper(): void {
  const port = parentPort;
  if (!port) throw new Error('shardHelper must run in a worker thread');
  port.once('message', (init: ShardHelperInit) => {
    port.close();
    serve(init);
  });
}

function serve(init: ShardHelperInit): void {
  const ctrl = new Int32Array(init.ctrl);
  const slots = helperSlots(init.shard);
  const fail = (err: unknown): void => {
    const text = err instanceof Error ? err.message : String(err);
    const bytes = new Uint8Array(init.errors, slots.error, slots.errorBytes);
    bytes.fill(0);
    new TextEncoder().encodeInto(text.slice(0, slots.errorBytes / 4), bytes);
    Atomics.store(ctrl, slots.status, STATUS.failed);
    Atomics.notify(ctrl, slots.status);
    Atomics.notify(ctrl, slots.done);
  };
  const f32 = init.spec.dtype === 'float32';
  const view = (b: SharedArrayBuffer) => (f32 ? new Float32Array(b) : new Float64Array(b));
  let worker: ShardWorker;
  try {
    const x: Mat = { rows: init.x.rows, cols: init.x.cols, data: view(init.x.buffer) };
    const y: Mat = { rows: init.y.rows, cols: init.y.cols, data: new Float64Array(init.y.buffer) };
    worker = new ShardWorker(init.spec, x, y);
  } catch (err) {
    fail(err);
    return;
  }
  const theta = view(init.theta);
  const rows = new Int32Array(init.rows);
  const grad = view(init.grad);
  const losses = new Float64Array(init.losses);
  const at = 2 * (init.shard - 1);
  Atomics.store(ctrl, slots.status, STATUS.ready);
  Atomics.notify(ctrl, slots.status);
  let seen = 0;
  for (;;) {
    // Spin through the gap between two steps; sleep (and be woken) only through longer ones.
    if (!spinWhile(ctrl, SLOT.go, seen)) {
      Atomics.store(ctrl, slots.asleep, 1);
      Atomics.wait(ctrl, SLOT.go, seen);
      Atomics.store(ctrl, slots.asleep, 0);
    }
    seen = Atomics.load(ctrl, SLOT.go);
    if (Atomics.load(ctrl, SLOT.stop) === 1) return;
    const k = ctrl[SLOT.k];
    if (init.shard < k) {
      try {
        const n = ctrl[SLOT.rows];
        if (ctrl[SLOT.op] === OP.hits) losses[at] = worker.hits(theta, shardStart(n, k, init.shard), shardStart(n, k, init.shard + 1));
        else {
          const r = worker.compute(theta, rows, 0, n, k, init.shard, ctrl[SLOT.seed] >>> 0);
          grad.set(r.grad);
          losses[at] = r.dataLoss;
          losses[at + 1] = r.total;
        }
      } catch (err) {
        fail(err);
        return;
      }
    }
    Atomics.store(ctrl, slots.done, seen);
    if (Atomics.load(ctrl, SLOT.mainAsleep) === 1) Atomics.notify(ctrl, slots.done);
  }
}

/**
 * Data-parallel shards on real worker threads (src-main/trainer/shards.ts, shardHelper.ts): the same
 * numbers, bit for bit, as the engine's shards computed one after another on one thread (so a run
 * depends on its seed and worker count, not on threads), the accuracy counted on the helpers too,
 * shards computed here while the threads start, and a helper that cannot start reported by name.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Rng, TrainingSession, type ModelJson, type ShardPlan, type TrainingBlock } from '../../../src-engine';
import { RunRunner, type RunEvent } from '../../../src-main/trainer/runner';
import { shardThreads, type ShardThreadPeers } from '../../../src-main/trainer/shards';

const model: ModelJson = {
  format: 'neurograph-model',
  version: 1,
  nodes: [
    { id: 'x', type: 'Input', size: 12 },
    { id: 'fc1', type: 'Linear', in: ['x'], units: 32 },
    { id: 'a1', type: 'ReLU', in: ['fc1'] },
    { id: 'd', type: 'Dropout', in: ['a1'], p: 0.2 },
    { id: 'fc2', type: 'Linear', in: ['d'], units: 4 },
  ],
  outputs: ['fc2'],
};

function data(n: number) {
  const r = new Rng(12);
  const x = Array.from({ length: n }, () => Array.from({ length: 12 }, () => r.normal(0, 1)));
  return { x, y: x.map((row) => [(row[0] > 0 ? 1 : 0) + (row[1] > 0 ? 2 : 0)]), task: 'classification' as const };
}

const block: TrainingBlock = { loss: 'cross_entropy', optimizer: { name: 'adam', lr: 0.01 }, epochs: 3, batch_size: 200, seed: 9 };
const untimed = (s: TrainingSession) => s.history.map(({ t: _t, ...p }) => p);

/** A run whose shards 1…k−1 are computed on threads from its first step (it waits for them to start). */
async function threaded(workers: number, rows = 2400): Promise<TrainingSession> {
  const base = shardThreads({ prestart: workers - 1 });
  let peers: ShardThreadPeers | null = null;
  const s = new TrainingSession(model, data(rows), { ...block, workers }, { shards: (plan) => (peers = base(plan)) });
  try {
    const started = Date.now();
    while (!peers!.ready() && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 20));
    s.runAll();
    // Every evaluation went to the threads (one per step: Adam evaluates once).
    expect(peers!.threadedSteps).toBe(3 * Math.ceil(rows / 200));
  } finally {
    s.close();
  }
  return s;
}

describe('shards on worker threads', () => {
  for (const workers of [2, 3]) {
    it(`${workers} workers: the same run bit for bit as the shards on one thread, and as itself again (Dropout; accuracy)`, async () => {
      const local = new TrainingSession(model, data(2400), { ...block, workers, epochs: 3 });
      local.runAll();
      const a = await threaded(workers);
      const b = await threaded(workers);
      expect(a.workers).toBe(workers);
      expect(Array.from(a.model.theta)).toEqual(Array.from(local.model.theta));
      expect(Array.from(b.model.theta)).toEqual(Array.from(a.model.theta));
      expect(untimed(a)).toEqual(untimed(local));
      // With 2 workers the 2400 rows are ≥ 2 × 1024: the helper counted hits for the accuracy too.
      expect(a.history.at(-1)!.accuracy).toBeGreaterThan(0.5);
    });
  }

  it('until the helpers have started, their shards run on this thread: no step waits, the numbers are the same', () => {
    // No prestart: the first steps come long before a thread has booted.
    let peers: ShardThreadPeers | null = null;
    const base = shardThreads();
    const s = new TrainingSession(model, data(2400), { ...block, epochs: 1, workers: 2 }, { shards: (plan) => (peers = base(plan)) });
    const local = new TrainingSession(model, data(2400), { ...block, epochs: 1, workers: 2 });
    try {
      s.runAll();
      local.runAll();
      expect(peers!.threadedSteps).toBeLessThan(12);
    } finally {
      s.close();
    }
    expect(Array.from(s.model.theta)).toEqual(Array.from(local.model.theta));
  });

  it('a helper thread that cannot start fails the run with the reason, naming the shard', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ng-shards-'));
    const entry = pathToFileURL(join(dir, 'broken.mjs'));
    writeFileSync(entry, "throw new Error('this helper cannot start');\n");
    const rows = data(8);
    const plan: ShardPlan = {
      spec: { model, dtype: 'float32', loss: 'cross_entropy', entropy: 0 },
      shards: 2,
      x: { rows: 8, cols: 12, data: Float32Array.from(rows.x.flat()) },
      y: { rows: 8, cols: 1, data: Float64Array.from(rows.y.flat()) },
      maxRows: 8,
      size: new TrainingSession(model, rows, block).model.theta.length,
    };
    const peers = shardThreads({ entry })(plan);
    try {
      // The thread's error reaches this one through its event loop.
      await new Promise((r) => setTimeout(r, 1500));
      const theta = new Float32Array(plan.size);
      expect(() => peers.start(theta, Int32Array.from({ length: 8 }, (_, i) => i), 0, 8, 2, 1)).toThrow(/data-parallel shard 1 failed: .*this helper cannot start/);
      expect(() => peers.start(theta, new Int32Array(8), 0, 8, 2, 1)).toThrow(/closed/);
    } finally {
      peers.close();
    }
  });

  it('the runner closes the session when the run ends, so the helper threads go', async () => {
    const shards = shardThreads({ prestart: 1 });
    const session = new TrainingSession(model, data(600), { ...block, epochs: 2, workers: 2 }, { shards });
    let closed = 0;
    const close = session.close.bind(session);
    session.close = () => {
      closed++;
      close();
    };
    const events: RunEvent[] = [];
    await new RunRunner('r1', session, (e) => events.push(e), { flushMs: 0 }).run();
    expect(events.at(-1)?.type).toBe('finished');
    expect(closed).toBe(1);
  });
});

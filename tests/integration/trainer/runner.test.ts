import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { ModelJson } from '../../../src-engine';
import { CONTROL, RunRunner, type RunEvent, type SessionLike } from '../../../src-main/trainer/runner';

/**
 * A scripted session: epoch k has loss 1/k; optional divergence or a throw at a given epoch; each epoch
 * busy-waits `ms`, asking `interrupted` every millisecond as the real session asks between steps.
 */
function fakeSession(epochs: number, opts: { divergeAt?: number; throwAt?: number; ms?: number } = {}): SessionLike & { stopped: boolean; lrs: number[] } {
  const model = { format: 'neurograph-model', version: 1, nodes: [], outputs: [] } as unknown as ModelJson;
  return {
    epochs,
    epoch: 0,
    stopped: false,
    lrs: [],
    paramCount: 1,
    weights: () => ({ params: {}, state: {} }),
    setLearningRate(lr: number) {
      this.lrs.push(lr);
    },
    runEpoch(interrupted: () => boolean) {
      const t = Date.now();
      let tick = t;
      while (Date.now() - t < (opts.ms ?? 0)) {
        if (Date.now() - tick >= 1) {
          tick = Date.now();
          if (interrupted()) return null;
        }
      }
      this.epoch++;
      if (this.epoch === opts.throwAt) throw new Error(`boom at ${this.epoch}`);
      const diverged = this.epoch === opts.divergeAt ? `diverged at epoch ${this.epoch}, layer fc1` : undefined;
      const flags = this.epoch === 2 ? [{ kind: 'vanishing' as const, node: 'fc1', epoch: 2, message: 'small' }] : [];
      return { point: { epoch: this.epoch, loss: diverged ? NaN : 1 / this.epoch, accuracy: 0.5 }, flags, done: this.epoch >= epochs, diverged };
    },
    stop() {
      this.stopped = true;
    },
    exportModel: () => model,
  };
}

const pointsOf = (events: RunEvent[]) => events.flatMap((e) => (e.type === 'metrics' ? e.points : []));

describe('RunRunner (epoch loop of one run)', () => {
  it('reports every epoch once, in order, then finished with the last loss and accuracy', async () => {
    const events: RunEvent[] = [];
    await new RunRunner('r', fakeSession(40), (e) => events.push(e), { flushMs: 0 }).run();
    expect(pointsOf(events).map((p) => p.epoch)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    const end = events.at(-1)!;
    expect(end).toMatchObject({ type: 'finished', summary: { outcome: 'completed', epochs: 40, finalLoss: 1 / 40, finalAccuracy: 0.5, reason: null } });
    expect(events.filter((e) => e.type === 'flags')).toEqual([{ type: 'flags', runId: 'r', flags: [{ kind: 'vanishing', node: 'fc1', epoch: 2, message: 'small' }] }]);
  });

  it('batches metric points by time: 2 ms epochs for ~200 ms with a 50 ms flush give a handful of messages', async () => {
    const events: RunEvent[] = [];
    await new RunRunner('r', fakeSession(100, { ms: 2 }), (e) => events.push(e), { flushMs: 50 }).run();
    const batches = events.filter((e) => e.type === 'metrics').length;
    expect(pointsOf(events)).toHaveLength(100);
    // ≥ 200 ms of epochs at one flush per ≥ 50 ms: at most ~ 200/50 + final flush; never one message per epoch.
    expect(batches).toBeGreaterThanOrEqual(2);
    expect(batches).toBeLessThanOrEqual(8);
  });

  it('a diverged epoch ends the run with outcome diverged and the session message as reason', async () => {
    const events: RunEvent[] = [];
    await new RunRunner('r', fakeSession(100, { divergeAt: 7 }), (e) => events.push(e)).run();
    expect(events.at(-1)).toMatchObject({ type: 'finished', summary: { outcome: 'diverged', epochs: 7, finalLoss: null, reason: 'diverged at epoch 7, layer fc1' } });
  });

  it('an exception inside an epoch becomes one failed event with its message, after the points so far', async () => {
    const events: RunEvent[] = [];
    await new RunRunner('r', fakeSession(100, { throwAt: 5 }), (e) => events.push(e), { flushMs: 1e9 }).run();
    expect(pointsOf(events).map((p) => p.epoch)).toEqual([1, 2, 3, 4]);
    expect(events.filter((e) => e.type === 'failed' || e.type === 'finished')).toEqual([{ type: 'failed', runId: 'r', reason: 'boom at 5' }]);
  });

  it('pause waits, step runs exactly one epoch, stop while paused finishes as stopped and calls session.stop()', async () => {
    const events: RunEvent[] = [];
    const session = fakeSession(1_000_000);
    const runner = new RunRunner('r', session, (e) => events.push(e), { flushMs: 0 });
    runner.pause();
    const done = runner.run();
    await new Promise((r) => setTimeout(r, 30));
    expect(session.epoch).toBe(0);
    runner.step();
    runner.step();
    await new Promise((r) => setTimeout(r, 30));
    expect(session.epoch).toBe(2);
    runner.stop();
    await done;
    expect(session.stopped).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'finished', summary: { outcome: 'stopped', epochs: 2 } });
  });

  it('a stop set in shared memory by another thread lands inside a long epoch, within milliseconds', async () => {
    const shared = new SharedArrayBuffer(CONTROL.length * 4);
    const events: RunEvent[] = [];
    const session = fakeSession(10, { ms: 2000 });
    // Another thread sets the flag 100 ms after the run starts, as the trainer process does on a stop job.
    const other = new Worker(`const { parentPort, workerData } = require('node:worker_threads'); parentPort.once('message', () => setTimeout(() => Atomics.store(new Int32Array(workerData), ${CONTROL.stop}, 1), 100));`, { eval: true, workerData: shared });
    await new Promise((r) => other.once('online', r));
    other.postMessage('go');
    const t0 = Date.now();
    // run() trains synchronously until its first epoch ends (or is interrupted).
    const done = new RunRunner('r', session, (e) => events.push(e), {}, new Int32Array(shared)).run();
    await done;
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(session.epoch).toBe(0);
    expect(events.at(-1)).toMatchObject({ type: 'finished', summary: { outcome: 'stopped', epochs: 0 } });
  });

  it('reports pause and resume, and passes a learning-rate change to the session', async () => {
    const events: RunEvent[] = [];
    const session = fakeSession(1_000_000);
    const runner = new RunRunner('r', session, (e) => events.push(e), { flushMs: 0 });
    runner.pause();
    const done = runner.run();
    await new Promise((r) => setTimeout(r, 20));
    runner.setLearningRate(0.3);
    runner.resume();
    await new Promise((r) => setTimeout(r, 20));
    runner.stop();
    await done;
    expect(events[0]).toEqual({ type: 'started', runId: 'r' });
    expect(events.filter((e) => e.type === 'paused')).toEqual([
      { type: 'paused', runId: 'r', paused: true, epoch: 0 },
      { type: 'paused', runId: 'r', paused: false, epoch: 0 },
    ]);
    expect(session.lrs).toEqual([0.3]);
  });

  it('sends a checkpoint when the checkpoint interval has passed', async () => {
    const events: RunEvent[] = [];
    await new RunRunner('r', fakeSession(30, { ms: 2 }), (e) => events.push(e), { checkpointMs: 20 }).run();
    const checkpoints = events.filter((e) => e.type === 'checkpoint');
    expect(checkpoints.length).toBeGreaterThanOrEqual(1);
    expect(checkpoints.length).toBeLessThanOrEqual(3);
  });
});

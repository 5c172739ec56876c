import { afterEach, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import type { TrainerEvent } from '../../../src-main/trainer/protocol';
import { collect, forkTrainer, send, XOR, xorModel, xorTraining } from './fixtures';

type Of<T extends TrainerEvent['type']> = Extract<TrainerEvent, { type: T }>;
const ofType = <T extends TrainerEvent['type']>(events: TrainerEvent[], type: T, runId?: string): Of<T>[] =>
  events.filter((e): e is Of<T> => e.type === type && (runId === undefined || e.runId === runId));

let child: ChildProcess | null = null;
afterEach(() => {
  child?.kill('SIGKILL');
  child = null;
});

describe('trainer process (child_process.fork from TS source)', () => {
  it('trains XOR below 0.05 bce and streams metrics in time-batched messages', async () => {
    child = forkTrainer();
    const epochs = 1500;
    send(child, { type: 'start', runId: 'r1', seq: 1, run: { runId: 'r1', model: xorModel(), data: XOR, training: xorTraining(epochs) }, reporting: { flushMs: 50 } });
    const t0 = Date.now();
    const events = await collect(child, (e) => e.runId === 'r1' && (e.type === 'finished' || e.type === 'failed'));
    const seconds = (Date.now() - t0) / 1000;
    const end = events[events.length - 1];
    expect(end.type, JSON.stringify(end).slice(0, 300)).toBe('finished');
    const finished = end as Of<'finished'>;
    expect(finished.summary.outcome).toBe('completed');
    expect(finished.summary.epochs).toBe(epochs);
    expect(finished.summary.finalLoss).toBeLessThan(0.05);
    expect(finished.model.params?.fc1.weight).toHaveLength(8);

    const batches = ofType(events, 'metrics', 'r1');
    const points = batches.flatMap((b) => b.points);
    // Every epoch arrives exactly once, in order.
    expect(points.map((p) => p.epoch)).toEqual(Array.from({ length: epochs }, (_, i) => i + 1));
    // Batched: far fewer messages than epochs, and at most ~30 per second of wall time (+2 for start/end).
    expect(batches.length).toBeLessThan(epochs / 5);
    expect(batches.length).toBeLessThanOrEqual(Math.ceil(seconds * 30) + 2);
    // Sequence numbers of the run's own events strictly increase.
    const seqs = events.filter((e) => e.runId === 'r1').map((e) => e.seq);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]);
    expect(ofType(events, 'progress', 'r1').at(-1)).toMatchObject({ epoch: epochs, epochs });
  });

  it('stop ends a long run early with outcome stopped and the weights so far', async () => {
    child = forkTrainer();
    send(child, { type: 'start', runId: 'long', seq: 1, run: { runId: 'long', model: xorModel(), data: XOR, training: xorTraining(1_000_000) } });
    await collect(child, (e) => e.type === 'metrics');
    send(child, { type: 'stop', runId: 'long', seq: 2 });
    const events = await collect(child, (e) => e.type === 'finished' || e.type === 'failed', 20_000);
    const end = events[events.length - 1] as Of<'finished'>;
    expect(end.type).toBe('finished');
    expect(end.summary.outcome).toBe('stopped');
    expect(end.summary.epochs).toBeGreaterThan(0);
    expect(end.summary.epochs).toBeLessThan(1_000_000);
    expect(end.model.params?.fc2.weight).toEqual([expect.any(Array)]);
  });

  it('pause holds the epoch counter, step runs exactly one epoch, resume continues', async () => {
    child = forkTrainer();
    send(child, { type: 'start', runId: 'p', seq: 1, run: { runId: 'p', model: xorModel(), data: XOR, training: xorTraining(1_000_000) }, reporting: { flushMs: 0 } });
    const first = await collect(child, (e) => e.type === 'metrics');
    send(child, { type: 'pause', runId: 'p', seq: 2 });
    // Heartbeats keep coming while paused; after two of them no new epochs appear.
    const settle = await collect(child, (_e, all) => all.filter((x) => x.type === 'heartbeat').length >= 2, 10_000);
    const lastBefore = Math.max(...ofType([...first, ...settle], 'metrics').flatMap((m) => m.points.map((p) => p.epoch)));
    const quiet = await collect(child, (e) => e.type === 'heartbeat', 5_000);
    expect(ofType(quiet, 'metrics')).toHaveLength(0);
    send(child, { type: 'step', runId: 'p', seq: 3 });
    const stepped = await collect(child, (e) => e.type === 'metrics', 5_000);
    expect(ofType(stepped, 'metrics').flatMap((m) => m.points.map((p) => p.epoch))).toEqual([lastBefore + 1]);
    send(child, { type: 'resume', runId: 'p', seq: 4 });
    const resumed = await collect(child, (_e, all) => ofType(all, 'metrics').flatMap((m) => m.points).length > 5, 10_000);
    expect(ofType(resumed, 'metrics')[0].points[0].epoch).toBe(lastBefore + 2);
    send(child, { type: 'stop', runId: 'p', seq: 5 });
    await collect(child, (e) => e.type === 'finished', 10_000);
  });

  it('trains two runs in parallel threads and reports a bad model as failed without harming the other', async () => {
    child = forkTrainer();
    const bad = { ...xorModel(), nodes: [{ id: 'x', type: 'Input', size: 2 }, { id: 'fc1', type: 'Nope', in: ['x'] }], outputs: ['fc1'] };
    send(child, { type: 'start', runId: 'a', seq: 1, run: { runId: 'a', model: xorModel(), data: XOR, training: xorTraining(300) } });
    send(child, { type: 'start', runId: 'b', seq: 1, run: { runId: 'b', model: bad, data: XOR, training: xorTraining(300) } });
    send(child, { type: 'start', runId: 'c', seq: 1, run: { runId: 'c', model: xorModel(), data: XOR, training: { ...xorTraining(300), optimizer: { name: 'sgd', lr: 0.5 } } } });
    const ended = new Set<string>();
    const events = await collect(child, (e) => {
      if (e.type === 'finished' || e.type === 'failed') ended.add(e.runId);
      return ended.size === 3;
    });
    expect(ofType(events, 'failed', 'b')[0].reason).toMatch(/Nope/);
    expect(ofType(events, 'finished', 'a')[0].summary.epochs).toBe(300);
    expect(ofType(events, 'finished', 'c')[0].summary.epochs).toBe(300);
  });

  it('exits when its parent goes away mid-run (no orphan trainer)', async () => {
    child = forkTrainer();
    send(child, { type: 'start', runId: 'o', seq: 1, run: { runId: 'o', model: xorModel(), data: XOR, training: xorTraining(1_000_000) } });
    await collect(child, (e) => e.type === 'metrics');
    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
    child.disconnect();
    expect(await exited).toBe(0);
  });

  it('ignores malformed jobs and keeps sending heartbeats', async () => {
    child = forkTrainer();
    child.send({ type: 'start', runId: 'x' });
    child.send('garbage');
    const events = await collect(child, (e) => e.type === 'heartbeat', 5_000);
    expect(events.every((e) => e.type === 'heartbeat')).toBe(true);
  });
});

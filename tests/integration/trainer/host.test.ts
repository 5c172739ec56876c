import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiEvent } from '../../../src-main/api/contract';
import { TrainingHost } from '../../../src-main/services/TrainingHost';
import { nodeForkTrainer } from '../../../src-main/services/TrainingHostFork';
import type { RunEnd, RunRecorder } from '../../../src-main/services/TrainingHostTypes';
import type { MetricPoint } from '../../../src-engine/train/types';
import { TRAINER_ENTRY, XOR, xorModel, xorTraining } from './fixtures';

/** Records what the host writes, counting store calls (each appendMetrics call is one transaction). */
class MemoryRecorder implements RunRecorder {
  metricCalls = 0;
  points = new Map<string, MetricPoint[]>();
  ends = new Map<string, RunEnd>();
  statuses: string[] = [];
  checkpoints = 0;
  appendMetrics(batches: { runId: string; points: MetricPoint[] }[]): void {
    this.metricCalls++;
    for (const b of batches) this.points.set(b.runId, [...(this.points.get(b.runId) ?? []), ...b.points]);
  }
  appendFlags(): void {}
  checkpoint(): void {
    this.checkpoints++;
  }
  setStatus(runId: string, status: string): void {
    this.statuses.push(`${runId}:${status}`);
  }
  finish(runId: string, end: RunEnd): void {
    this.ends.set(runId, end);
  }
}

let host: TrainingHost | null = null;
afterEach(async () => {
  await host?.shutdown();
  host = null;
});

function makeHost(recorder: RunRecorder, extra: Partial<ConstructorParameters<typeof TrainingHost>[0]> = {}): TrainingHost {
  return new TrainingHost({ fork: nodeForkTrainer, entry: TRAINER_ENTRY, execArgv: ['--import', 'tsx'], recorder, ...extra });
}

function waitFor(h: TrainingHost, pred: (e: ApiEvent) => boolean, timeoutMs = 60_000): Promise<ApiEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (off(), reject(new Error('timed out waiting for an event'))), timeoutMs);
    const off = h.subscribe((e) => {
      if (pred(e)) {
        clearTimeout(timer);
        off();
        resolve(e);
      }
    });
  });
}

const ended = (runId: string) => (e: ApiEvent) => e.type === 'run.status' && e.runId === runId && ['completed', 'stopped', 'failed'].includes(e.status);
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('TrainingHost with a real trainer process', () => {
  it('trains XOR end to end: streams metrics to subscribers and writes them to the store in batches', async () => {
    const rec = new MemoryRecorder();
    host = makeHost(rec);
    const seen: ApiEvent[] = [];
    host.subscribe((e) => seen.push(e));
    const done = waitFor(host, ended('x1'));
    host.start({ runId: 'x1', projectId: 'p', model: xorModel(), data: XOR, training: xorTraining(1500) });
    expect(await done).toMatchObject({ status: 'completed', reason: null });
    const end = rec.ends.get('x1')!;
    expect(end.finalLoss).toBeLessThan(0.05);
    expect(end.epochs).toBe(1500);
    expect(end.model?.params?.fc1.weight).toHaveLength(8);
    expect(rec.points.get('x1')!.map((p) => p.epoch)).toEqual(Array.from({ length: 1500 }, (_, i) => i + 1));
    expect(rec.metricCalls).toBeLessThan(1500 / 10);
    const streamed = seen.filter((e) => e.type === 'run.metrics').flatMap((e) => (e.type === 'run.metrics' ? e.points : []));
    expect(streamed).toHaveLength(1500);
    const seqs = seen.filter((e) => 'runId' in e && e.runId === 'x1').map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
  });

  it('kill -9 of the trainer mid-run fails the run with the reason; the next run gets a fresh trainer and works', async () => {
    const rec = new MemoryRecorder();
    host = makeHost(rec);
    host.start({ runId: 'k1', projectId: 'p', model: xorModel(), data: XOR, training: xorTraining(1_000_000) });
    await waitFor(host, (e) => e.type === 'run.metrics' && e.runId === 'k1');
    const pid = host.trainerPid!;
    const failed = waitFor(host, ended('k1'));
    process.kill(pid, 'SIGKILL');
    expect(await failed).toMatchObject({ status: 'failed', reason: 'trainer process was killed (SIGKILL)' });
    expect(rec.ends.get('k1')).toMatchObject({ status: 'failed', reason: 'trainer process was killed (SIGKILL)' });
    expect(rec.ends.get('k1')!.epochs).toBeGreaterThan(0);
    expect(host.isActive('k1')).toBe(false);

    const next = waitFor(host, ended('k2'));
    host.start({ runId: 'k2', projectId: 'p', model: xorModel(), data: XOR, training: xorTraining(200) });
    expect(host.trainerPid).not.toBe(pid);
    expect(await next).toMatchObject({ status: 'completed' });
  });

  it('stop ends a run with status stopped and keeps its weights', async () => {
    const rec = new MemoryRecorder();
    host = makeHost(rec);
    host.start({ runId: 's1', projectId: 'p', model: xorModel(), data: XOR, training: xorTraining(1_000_000) });
    await waitFor(host, (e) => e.type === 'run.metrics');
    const stopped = waitFor(host, ended('s1'));
    expect(host.stop('s1')).toBe(true);
    expect(await stopped).toMatchObject({ status: 'stopped' });
    expect(rec.ends.get("s1")!.model?.params?.fc1.weight).toHaveLength(8);
    expect(host.stop('s1')).toBe(false);
  });

  it('a diverging run ends failed with the engine\'s "diverged at epoch N, layer L" and keeps finite weights', async () => {
    const rec = new MemoryRecorder();
    host = makeHost(rec);
    const linear = { ...xorModel(), nodes: [{ id: 'x', type: 'Input', size: 2 }, { id: 'fc1', type: 'Linear', in: ['x'], units: 1 }], outputs: ['fc1'] };
    const done = waitFor(host, ended('d1'));
    // Plain gradient descent on a quadratic with lr far above 2/λmax: the iterates grow geometrically.
    host.start({ runId: 'd1', projectId: 'p', model: linear, data: XOR, training: { loss: 'mse', optimizer: { name: 'sgd', lr: 1e3 }, epochs: 1000, batch_size: 'full', seed: 1 } });
    const e = await done;
    expect(e).toMatchObject({ status: 'failed' });
    expect(e.type === 'run.status' && e.reason).toMatch(/^diverged at epoch \d+, layer fc1/);
    const weights = (rec.ends.get('d1')!.model!.params!.fc1.weight as number[][]).flat();
    expect(weights.every(Number.isFinite)).toBe(true);
  });

  it('a trainer that stops sending heartbeats is killed and its runs fail', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ng-hang-'));
    const hung = join(dir, 'hung.mjs');
    writeFileSync(hung, 'process.on("message", () => {}); setInterval(() => {}, 1000);');
    const rec = new MemoryRecorder();
    host = makeHost(rec, { entry: hung, execArgv: [], heartbeatTimeoutMs: 1500 });
    const failed = waitFor(host, ended('h1'), 15_000);
    host.start({ runId: 'h1', projectId: 'p', model: xorModel(), data: XOR, training: xorTraining(10) });
    const pid = host.trainerPid!;
    const e = await failed;
    expect(e).toMatchObject({ status: 'failed' });
    expect(e.type === 'run.status' && e.reason).toMatch(/stopped responding/);
    await new Promise((r) => setTimeout(r, 200));
    expect(alive(pid)).toBe(false);
  });

  it('shutdown cancels active runs, flushes their metrics in one write and leaves no trainer process', async () => {
    const rec = new MemoryRecorder();
    host = makeHost(rec, { flushMs: 60_000 });
    host.start({ runId: 'q1', projectId: 'p', model: xorModel(), data: XOR, training: xorTraining(1_000_000) });
    await waitFor(host, (e) => e.type === 'run.metrics');
    const pid = host.trainerPid!;
    const callsBefore = rec.metricCalls;
    await host.shutdown();
    expect(rec.metricCalls).toBe(callsBefore + 1);
    expect(rec.points.get('q1')!.length).toBeGreaterThan(0);
    expect(rec.ends.get('q1')).toMatchObject({ status: 'stopped' });
    expect(alive(pid)).toBe(false);
    host = null;
  });
});

/**
 * The host's own event loop blocked for ~12 s during a run (FAULTS 19; issue item 4): the trainer's
 * heartbeats wait unread in the host's queue, which is no sign of a hung trainer. The watchdog
 * (10 s, the default) must not kill it: the run goes on and completes in the same trainer process.
 * The block is made inside a timer callback, so that the watchdog's own timer is the first thing
 * the loop runs after it — before the queued heartbeats are read.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../../src-main/api';
import { DEFAULT_HEARTBEAT_TIMEOUT_MS, TrainingHost } from '../../../src-main/services/TrainingHost';
import { nodeForkTrainer } from '../../../src-main/services/TrainingHostFork';
import { storeRecorder } from '../../../src-main/services/TrainingHostRecorder';
import { ProjectStore } from '../../../src-main/services/ProjectStore';
import { XOR, xorModel, xorTraining } from '../../helpers/xor';
import { TRAINER_ENTRY } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'ng-blocked-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function waitFor(host: TrainingHost, pred: (e: ApiEvent) => boolean): Promise<ApiEvent> {
  return new Promise((resolve) => {
    const off = host.subscribe((e) => {
      if (pred(e)) {
        off();
        resolve(e);
      }
    });
  });
}

/** Busy-waits `ms` inside a timer callback: nothing else of this process runs meanwhile. */
const blockTheLoop = (ms: number): Promise<void> =>
  new Promise((resolve) =>
    setTimeout(() => {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        // blocked, as by a heavy synchronous request
      }
      resolve();
    }, 0),
  );

describe('a blocked event loop in the host', () => {
  it('blocked ~12 s (longer than the 10 s heartbeat timeout) during a run: the trainer is not killed and the run completes', async () => {
    expect(DEFAULT_HEARTBEAT_TIMEOUT_MS).toBeLessThan(12_000);
    const store = new ProjectStore({ path: join(dir, 'library.sqlite') });
    const project = store.createProject('blocked', 'xor');
    const run = store.createRun({ projectId: project.id, training: xorTraining(3000), graph: project.graph });
    const host = new TrainingHost({ fork: nodeForkTrainer, entry: TRAINER_ENTRY, execArgv: ['--import', 'tsx'], recorder: storeRecorder(store) });
    try {
      const statuses: string[] = [];
      host.subscribe((e) => e.type === 'run.status' && e.runId === run.id && statuses.push(e.reason ? `${e.status} (${e.reason})` : e.status));
      const firstPoints = waitFor(host, (e) => e.type === 'run.metrics' && e.runId === run.id);
      host.start({ runId: run.id, projectId: project.id, model: xorModel(8), data: XOR, training: xorTraining(3000) });
      await firstPoints;
      // Paused, the run cannot finish during the block: it is still the trainer's after it.
      const paused = waitFor(host, (e) => e.type === 'run.paused' && e.runId === run.id && e.paused);
      expect(host.pause(run.id)).toBe(true);
      await paused;
      const pid = host.trainerPid;

      await blockTheLoop(12_000);
      // A few watchdog ticks after the block: the trainer lives and the run is still active.
      await new Promise((r) => setTimeout(r, 1500));
      expect(host.isActive(run.id), `statuses: ${statuses.join(', ')}`).toBe(true);
      expect(host.trainerPid).toBe(pid);

      const ended = waitFor(host, (e) => e.type === 'run.status' && e.runId === run.id && ['completed', 'stopped', 'failed'].includes(e.status));
      expect(host.resume(run.id)).toBe(true);
      expect(await ended).toMatchObject({ status: 'completed', reason: null });
      expect(statuses.filter((s) => s.startsWith('failed'))).toEqual([]);
      expect(host.trainerPid).toBe(pid);
      const stored = store.getRun(run.id);
      expect(stored).toMatchObject({ status: 'completed', epochs: 3000 });
      expect(stored.history).toHaveLength(3000);
    } finally {
      await host.shutdown();
      store.close();
    }
  });
});

/**
 * A large CSV import (FAULTS 5; issue item 5): parsed and built in a worker thread, so the host's
 * event loop keeps running, with `dataset.progress` events under the client's importId; a table that
 * would not fit the memory an import may use is refused before it is parsed, with the size it needs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiEvent, DatasetSummary, Reply } from '../../../src-main/api';
import { createServices, nodeForkTrainer } from '../../../src-main/services';
import { BYTES_PER_CELL, estimateImport } from '../../../src-main/services/csvImport';
import { DatasetService } from '../../../src-main/services/DatasetService';
import { ProjectStore } from '../../../src-main/services/ProjectStore';
import { TRAINER_ENTRY } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'ng-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `rows` rows of `cols` columns (the last a 0/1 label), numbers with 4 decimals. */
function table(rows: number, cols: number): string {
  const lines = [Array.from({ length: cols }, (_, j) => `c${j}`).join(',')];
  for (let i = 0; i < rows; i++) lines.push([...Array.from({ length: cols - 1 }, (_, j) => ((i * 31 + j * 17) % 1000) / 7).map((v) => v.toFixed(4)), String(i % 2)].join(','));
  return `${lines.join('\n')}\n`;
}

describe('a large CSV import', () => {
  it('is refused before parsing when it would not fit the import memory, naming the memory it would need; nothing is stored', () => {
    const store = new ProjectStore({ path: join(dir, 'refuse.sqlite') });
    const budget = 8 * 1024 * 1024;
    const datasets = new DatasetService({ store, importMemoryBytes: budget });
    const text = table(50_000, 10);
    // 50,001 lines × 10 columns: at least BYTES_PER_CELL bytes each, far beyond 8 MB.
    const need = estimateImport(text);
    expect(need).toMatchObject({ lines: 50_001, columns: 10 });
    expect(need.bytes).toBeGreaterThanOrEqual(50_001 * 10 * BYTES_PER_CELL);
    let err: (Error & { code?: string; path?: string }) | null = null;
    try {
      datasets.importCsv('too big', text);
    } catch (e) {
      err = e as Error;
    }
    expect(err).toMatchObject({ code: 'invalid_data', path: 'text' });
    expect(err!.message).toMatch(/about 50,001 rows × 10 columns would need about [\d,]+ MB of memory, more than the 8 MB an import may use/);
    expect(store.listDatasets()).toEqual([]);
    store.close();
  });

  it('datasets.importCsv parses in a worker: the event loop keeps running, progress events carry the importId and end at 1', async () => {
    const services = createServices({ libraryPath: join(dir, 'worker.sqlite'), trainerEntry: TRAINER_ENTRY, trainerExecArgv: ['--import', 'tsx'], fork: nodeForkTrainer });
    try {
      const progress: Extract<ApiEvent, { type: 'dataset.progress' }>[] = [];
      services.api.subscribe((e) => e.type === 'dataset.progress' && progress.push(e));
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 10);
      let ticksWhileImporting = 0;
      const reply = (await services.api
        .handle('datasets.importCsv', { name: 'big', text: table(30_000, 10), importId: 'import-1', target: ['c9'] })
        .finally(() => {
          ticksWhileImporting = ticks;
          clearInterval(ticker);
        })) as Reply<DatasetSummary>;
      expect(reply.ok, JSON.stringify(reply)).toBe(true);
      if (reply.ok) expect(reply.data).toMatchObject({ name: 'big', kind: 'table', rows: 30_000, inputs: 9, outputs: 1, task: 'classification' });
      // A synchronous import would have held the loop from the request to its reply: no tick between.
      expect(ticksWhileImporting).toBeGreaterThan(0);
      expect(progress.length).toBeGreaterThanOrEqual(3);
      expect(progress.every((e) => e.importId === 'import-1')).toBe(true);
      expect(progress.map((e) => e.seq)).toEqual(progress.map((_, i) => i + 1));
      const fractions = progress.map((e) => e.fraction);
      expect([...fractions].sort((a, b) => a - b)).toEqual(fractions);
      expect(fractions.at(-1)).toBe(1);
      expect(services.datasets.list().map((d) => d.name)).toContain('big');
    } finally {
      await services.close();
    }
  });

  it('a bad table is refused from the worker with the engine\'s own error: its code, its line', async () => {
    const store = new ProjectStore({ path: join(dir, 'bad.sqlite') });
    try {
      const datasets = new DatasetService(store);
      await expect(datasets.importCsvInWorker('ragged', 'a,b,c\n1,2,3\n4,5\n')).rejects.toMatchObject({ code: 'invalid_data', message: expect.stringMatching(/line 3/) });
      expect(store.listDatasets()).toEqual([]);
    } finally {
      store.close();
    }
  });
});

/**
 * `train --db` records as it trains (issue item 8), and reads a table as the app does (item 7):
 * the run exists, running, with its points growing while the CLI trains; `--missing drop|mean|zero`
 * and `datasets.importCsv`'s `missing` give the same rows, equal to the hand-computed ones, and the
 * table is stored with how it was read.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadData } from '../../../src-main/cli/data';
import { DatasetService } from '../../../src-main/services/DatasetService';
import { ProjectStore } from '../../../src-main/services/ProjectStore';
import { REPO } from '../../helpers/reference';
import { xorModel } from '../../helpers/xor';

const dir = mkdtempSync(join(tmpdir(), 'ng-cli-record-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const CLI = join(REPO, 'bin/neurograph.mjs');

function cli(args: string[]) {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c) => (stderr += c));
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
  return { child, done };
}

function runRow(db: string): { id: string; status: string; epochs: number; points: number } | null {
  if (!existsSync(db)) return null;
  try {
    const store = new ProjectStore({ path: db, readOnly: true });
    try {
      const [summary] = store.listProjects().flatMap((p) => store.listRuns(p.id));
      if (!summary) return null;
      return { id: summary.id, status: summary.status, epochs: summary.epochs, points: store.getRun(summary.id).history.length };
    } finally {
      store.close();
    }
  } catch {
    return null; // still being created by the CLI
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('train --db', () => {
  it('records the run as it trains: created at the start, running, its points appended in whole batches', async () => {
    const db = join(dir, 'live.sqlite');
    writeFileSync(join(dir, 'long.json'), JSON.stringify(xorModel(8, { loss: 'bce', optimizer: { name: 'adam', lr: 0.01 }, epochs: 1_000_000, batch_size: 'full', seed: 1 })));
    const { child, done } = cli(['train', 'long.json', '--dataset', 'xor', '--db', db, '--project', 'live', '--out', 'long-out.json']);
    try {
      let first = runRow(db);
      while (!first || first.epochs === 0) {
        await sleep(100);
        first = runRow(db);
      }
      expect(first.status).toBe('running');
      expect(first.points).toBe(first.epochs);
      let later = runRow(db)!;
      while (later.epochs === first.epochs) {
        await sleep(100);
        later = runRow(db)!;
      }
      expect(later.status).toBe('running');
      expect(later.epochs).toBeGreaterThan(first.epochs);
      expect(later.points).toBe(later.epochs);
    } finally {
      child.kill('SIGKILL');
      await done;
    }
  });
});

describe('bad cells: --missing and datasets.importCsv read a table the same way (FAULTS 13)', () => {
  const csv = 'x1,x2,y\n1,2,0\nN/A,4,1\n3,,0\n5,6,1\n';
  // By hand: x1's good cells 1, 3, 5 (mean 3); x2's good cells 2, 4, 6 (mean 4).
  const expected = {
    drop: [[1, 2], [5, 6]],
    mean: [[1, 2], [3, 4], [3, 4], [5, 6]],
    zero: [[1, 2], [0, 4], [3, 0], [5, 6]],
  } as const;
  writeFileSync(join(dir, 'cells.csv'), csv);
  writeFileSync(join(dir, 'two.json'), JSON.stringify(xorModel(4, { loss: 'bce', optimizer: { name: 'adam', lr: 0.05 }, epochs: 2, batch_size: 'full', seed: 1 })));

  for (const missing of ['drop', 'mean', 'zero'] as const) {
    it(`--missing ${missing}: the CLI trains on the rows the api stores and loads, and both keep "${missing}" with the table`, async () => {
      const db = join(dir, `cells-${missing}.sqlite`);
      const t = cli(['train', 'two.json', '--data', 'cells.csv', '--target-column', 'y', '--missing', missing, '--db', db, '--project', 'cells', '--out', `cells-${missing}.json`]);
      const end = await t.done;
      expect(end.code, end.stderr).toBe(0);
      // What the CLI trained on.
      const trained = loadData({ data: join(dir, 'cells.csv'), 'target-column': 'y', missing });
      expect(trained.x).toEqual(expected[missing]);

      const store = new ProjectStore({ path: db });
      try {
        const datasets = new DatasetService(store);
        const project = store.getProject(store.listProjects().find((p) => p.name === 'cells')!.id);
        expect(project.dataset).toMatchObject({ kind: 'table', target: ['y'] });
        const fromCli = project.dataset.kind === 'table' ? store.getDataset(project.dataset.datasetId) : null;
        expect(fromCli?.options).toEqual({ missing, target: ['y'] });
        const viaApi = await datasets.importCsvInWorker('cells.csv', csv, { missing, target: ['y'] });
        expect(store.getDataset(viaApi.id).options).toEqual({ missing, target: ['y'] });
        const cliRows = datasets.load(project.dataset);
        const apiRows = datasets.load({ kind: 'table', datasetId: viaApi.id });
        expect(cliRows.x).toEqual(expected[missing]);
        expect(apiRows.x).toEqual(cliRows.x);
        expect(apiRows.y).toEqual(cliRows.y);
        expect(apiRows.y).toEqual(trained.y);
        expect(viaApi.rows).toBe(expected[missing].length);
      } finally {
        store.close();
      }
    });
  }
});

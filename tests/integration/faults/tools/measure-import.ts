/**
 * Measures the largest CSV import the api allows: the table is sized so that its estimate just fits
 * the import memory (csvImport.ts), imported through `datasets.importCsv` (worker thread), and the
 * process's peak RSS (VmHWM, main thread and worker together), the wall time and the longest stall of
 * the event loop are printed as JSON. Run: node --import tsx tests/integration/faults/tools/measure-import.ts [columns]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createServices, estimateImport, IMPORT_MEMORY_BYTES, nodeForkTrainer } from '../../../../src-main/services';

const cols = Number(process.argv[2] ?? 10);
const kb = (field: string): number => Number(/(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith(field))!)![1]) * 1024;

function table(rows: number): string {
  const lines = [Array.from({ length: cols }, (_, j) => `c${j}`).join(',')];
  for (let i = 0; i < rows; i++) lines.push([...Array.from({ length: cols - 1 }, (_, j) => ((i * 31 + j * 17) % 1000) / 7).map((v) => v.toFixed(4)), String(i % 2)].join(','));
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  // The largest row count whose estimate fits the budget (and the api's 50M characters).
  const per = estimateImport(table(1000));
  let rows = Math.floor((1000 * IMPORT_MEMORY_BYTES) / per.bytes);
  let text = table(rows);
  while (estimateImport(text).bytes > IMPORT_MEMORY_BYTES || text.length > 50_000_000) text = table((rows = Math.floor(rows * 0.98)));
  const dir = mkdtempSync(join(tmpdir(), 'ng-measure-'));
  const services = createServices({ libraryPath: join(dir, 'library.sqlite'), trainerEntry: resolve(import.meta.dirname, '../../../../src-main/trainer/entry.ts'), trainerExecArgv: ['--import', 'tsx'], fork: nodeForkTrainer });
  const before = kb('VmRSS');
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const t0 = performance.now();
  const reply = await services.api.handle('datasets.importCsv', { name: 'largest', text, importId: 'm' });
  const seconds = (performance.now() - t0) / 1000;
  lag.disable();
  const estimate = estimateImport(text);
  console.log(
    JSON.stringify({
      ok: reply.ok,
      rows,
      columns: cols,
      chars: text.length,
      budgetMB: Math.round(IMPORT_MEMORY_BYTES / 2 ** 20),
      estimateMB: Math.round(estimate.bytes / 2 ** 20),
      rssBeforeMB: Math.round(before / 2 ** 20),
      peakRssMB: Math.round(kb('VmHWM') / 2 ** 20),
      seconds: Number(seconds.toFixed(1)),
      longestLoopStallMs: Math.round(lag.max / 1e6),
      ...(reply.ok ? {} : { error: reply.error }),
    }),
  );
  await services.close();
  rmSync(dir, { recursive: true, force: true });
}

void main();

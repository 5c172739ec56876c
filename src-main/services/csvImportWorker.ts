/**
 * One CSV import off the event loop: parse, check and build the dataset from the text in workerData,
 * answer with what the summary needs (never the rows: they would be copied back for nothing).
 * Started by DatasetService.importCsvInWorker through shared/startWorker.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { NeurographError } from '../../src-engine';
import { buildImport, type ImportJob, type ImportReply } from './csvImport';

const job = workerData as ImportJob;
const reply = (r: ImportReply): void => parentPort!.postMessage(r);
try {
  reply({ type: 'done', result: buildImport(job.text, job.options) });
} catch (e) {
  const known = e instanceof NeurographError;
  reply({ type: 'error', message: (e as Error).message ?? String(e), code: known ? e.code : 'failed', ...(known && e.path ? { path: e.path } : {}) });
}

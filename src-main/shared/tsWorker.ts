import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker thread for a module next to the caller: the built `.js` in the app, or the `.ts` source
 * under tsx. tsx's `--import` hook does not reach worker threads, so from source the worker first
 * registers tsx itself. `options` (resource limits…) are passed on to the Worker.
 */
export function startWorker(moduleUrl: URL, workerData: unknown, options: Omit<WorkerOptions, 'workerData' | 'eval'> = {}): Worker {
  if (!moduleUrl.href.endsWith('.ts')) return new Worker(moduleUrl, { ...options, workerData });
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(moduleUrl.href)}); });`;
  return new Worker(boot, { ...options, eval: true, workerData });
}

/**
 * `npm run web` runs this (node --import tsx): the services, a trainer forked from TS source, and the web
 * host on 127.0.0.1. Flags: --port N, --library FILE (env NEUROGRAPH_LIBRARY; default ~/.neurograph/library.sqlite),
 * --renderer DIR (default out/renderer).
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultLibraryPath } from '../shared';
import { startWebHost } from './server';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, library: { type: 'string' }, renderer: { type: 'string' } },
    allowPositionals: false,
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be an integer 0–65535, got '${values.port}'`);
  const libraryPath = resolve(values.library ?? defaultLibraryPath());
  mkdirSync(dirname(libraryPath), { recursive: true });
  const host = await startWebHost({ port, libraryPath, rendererDir: resolve(values.renderer ?? resolve(repoRoot, 'out/renderer')) });
  // How the library opened, said once at start-up: read-only (another app holds it, newer schema, a lost
  // -wal), upgraded with a backup kept, or set aside as damaged with the newest backup named.
  const info = host.services?.info();
  if (info?.warning) console.warn(`${info.readOnly ? 'Read-only library' : 'Notice'}: ${info.warning}`);
  console.log(`Neurograph running at ${host.url}`);
  console.log(`Library: ${libraryPath}`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void host.close().finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`neurograph web: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

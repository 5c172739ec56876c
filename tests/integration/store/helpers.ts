import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/** A fresh temp folder per test, removed afterwards; returns a library path inside it. */
export function useTempLibrary(): () => { dir: string; path: string } {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'neurograph-store-'));
    dirs.push(dir);
    return { dir, path: join(dir, 'library.sqlite') };
  };
}

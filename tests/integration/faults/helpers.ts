/** Shared tools of the fault tests: child processes from TS source, a full disk, a library's integrity. */
import Database from 'better-sqlite3';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(__dirname, '../../..');
export const CHILDREN = resolve(__dirname, 'children');
export const TRAINER_ENTRY = resolve(REPO, 'src-main/trainer/entry.ts');
export const CLI = resolve(REPO, 'bin/neurograph.mjs');

/** A child running a TS script under tsx; its stdout lines arrive one by one through `onLine`. */
export function tsxChild(script: string, args: string[], onLine: (line: string) => void = () => {}): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let buffer = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    buffer += chunk;
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      onLine(buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
    }
  });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    if (process.env.NG_FAULTS_VERBOSE) process.stderr.write(chunk);
  });
  return child;
}

export function exited(child: ChildProcess): Promise<{ code: number | null; signal: string | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal })));
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A seeded generator for kill delays, so a failing loop can be replayed (NG_SEED). */
export function seeded(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** PRAGMA integrity_check over the library as the next opener sees it (the WAL recovered). */
export function integrity(path: string): string {
  const db = new Database(path);
  try {
    return (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
  } finally {
    db.close();
  }
}

/** Rows of a query over the library (a plain connection: what any process would read). */
export function query<T>(path: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(path);
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

export interface FullDisk {
  dir: string;
  /** Fill the disk to its last byte with a filler file; returns the bytes written. */
  fill(): number;
  /** Remove the filler: room again. */
  free(): void;
  unmount(): void;
}

/**
 * A small tmpfs of its own (`mount -t tmpfs -o size=…`), so a disk can be filled to the last byte
 * without touching the machine's. Needs root; returns the reason when it cannot be had.
 */
export function mountSmallDisk(size = '2m'): FullDisk | string {
  if (process.getuid?.() !== 0) return 'mounting a small tmpfs needs root';
  const dir = mkdtempSync(join(tmpdir(), 'ng-full-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' });
  if (mounted.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return `mount -t tmpfs failed: ${mounted.stderr.trim() || mounted.error?.message}`;
  }
  const filler = join(dir, 'filler');
  return {
    dir,
    fill: () => {
      mkdirSync(dir, { recursive: true });
      const fd = openSync(filler, 'a');
      let bytes = 0;
      for (const size of [64 * 1024, 4096, 1]) {
        const block = Buffer.alloc(size, 0x46);
        try {
          for (;;) bytes += writeSync(fd, block);
        } catch {
          // ENOSPC at this block size; try smaller ones down to one byte
        }
      }
      closeSync(fd);
      return bytes;
    },
    free: () => rmSync(filler, { force: true }),
    unmount: () => {
      spawnSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Room for the last word on a full disk. When the disk fills during a run, the run must still end
 * "failed: the disk is full" in the library — not stay "running" — but on a disk filled to the last
 * byte even that small write has nowhere to go. So a writable library keeps a small reserve file
 * next to it (`<library>.reserve`, real blocks, not a sparse file) and gives it up for that write;
 * it is made again at the next open that finds room.
 */
import { closeSync, existsSync, fsyncSync, openSync, rmSync, statSync, writeSync } from 'node:fs';

export const RESERVE_BYTES = 256 * 1024;

export const reserveFileOf = (libraryPath: string): string => `${libraryPath}.reserve`;

/** Make the reserve file if it is missing or short; on a full disk, leave none (never a partial one). */
export function ensureReserve(libraryPath: string): boolean {
  const file = reserveFileOf(libraryPath);
  try {
    if (existsSync(file) && statSync(file).size >= RESERVE_BYTES) return true;
  } catch {
    return false;
  }
  let fd: number | null = null;
  try {
    fd = openSync(file, 'w');
    const block = Buffer.alloc(64 * 1024, 0x4e);
    for (let written = 0; written < RESERVE_BYTES; ) written += writeSync(fd, block, 0, Math.min(block.length, RESERVE_BYTES - written));
    fsyncSync(fd);
    closeSync(fd);
    return true;
  } catch {
    if (fd !== null) {
      try {
        closeSync(fd);
      } catch {
        // already failing: the file is removed below
      }
    }
    rmSync(file, { force: true });
    return false;
  }
}

/** Give the reserve up so a last small write fits; true when there was one to give. */
export function releaseReserve(libraryPath: string): boolean {
  const file = reserveFileOf(libraryPath);
  if (!existsSync(file)) return false;
  rmSync(file, { force: true });
  return true;
}

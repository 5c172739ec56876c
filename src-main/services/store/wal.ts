/**
 * A library whose `-wal` file went missing (deleted by a cleaner, lost in a copy) while its `-shm`
 * says the WAL held committed transactions not yet copied into the main file: opening it writable
 * would silently drop them and reset the index. It is detected before opening and opened read-only.
 *
 * The -shm starts with the WAL-index header (sqlite.org/walformat.html, native byte order):
 * offset 12 isInit, 14 szPage (u16, 1 means 65536), 16 mxFrame (last valid frame); after two copies
 * of that 48-byte header, offset 96 nBackfill (frames already copied into the main file).
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { endianness } from 'node:os';

const WAL_HEADER = 32;
const FRAME_HEADER = 24;
const SHM_HEADER = 136;

/** Frames the -shm says the WAL holds beyond what the main file has, or 0 when nothing can be lost. */
function framesAhead(shm: Buffer): { frames: number; pageSize: number } {
  const le = endianness() === 'LE';
  const u32 = (o: number) => (le ? shm.readUInt32LE(o) : shm.readUInt32BE(o));
  const u16 = (o: number) => (le ? shm.readUInt16LE(o) : shm.readUInt16BE(o));
  if (shm[12] !== 1) return { frames: 0, pageSize: 0 };
  const raw = u16(14);
  const pageSize = raw === 1 ? 65536 : raw;
  const mxFrame = u32(16);
  const backfill = u32(96);
  return { frames: Math.max(0, mxFrame - backfill), pageSize };
}

/**
 * True when committed transactions of the library are gone with its -wal file: the -shm exists, says
 * frames beyond the checkpoint exist, and the -wal is missing or too short to hold them.
 */
export function walLost(path: string): boolean {
  const shmPath = `${path}-shm`;
  if (!existsSync(shmPath)) return false;
  const shm = Buffer.alloc(SHM_HEADER);
  let fd: number | null = null;
  try {
    fd = openSync(shmPath, 'r');
    if (readSync(fd, shm, 0, SHM_HEADER, 0) < SHM_HEADER) return false;
  } catch {
    return false;
  } finally {
    if (fd !== null) closeSync(fd);
  }
  const { frames, pageSize } = framesAhead(shm);
  if (frames === 0) return false;
  const walPath = `${path}-wal`;
  if (!existsSync(walPath)) return true;
  const le = endianness() === 'LE';
  const mxFrame = le ? shm.readUInt32LE(16) : shm.readUInt32BE(16);
  return statSync(walPath).size < WAL_HEADER + mxFrame * (FRAME_HEADER + pageSize);
}

/** The shell's small JSON files in the user-data folder: read as text (missing → null), written whole via a temporary name. */
import { app } from 'electron';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function readUserFile(name: string): string | null {
  try {
    return readFileSync(join(app.getPath('userData'), name), 'utf8');
  } catch {
    return null;
  }
}

/** Best effort: a preference that cannot be saved is not worth an error dialog, only a console line. */
export function writeUserFile(name: string, text: string): void {
  const dir = app.getPath('userData');
  const file = join(dir, name);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${file}.tmp`, text);
    renameSync(`${file}.tmp`, file);
  } catch (err) {
    console.error(`neurograph: could not write ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

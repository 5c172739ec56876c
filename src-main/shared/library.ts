import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The user's library file: `NEUROGRAPH_LIBRARY`, else ~/.neurograph/library.sqlite (the app, the web host and the CLI agree). */
export function defaultLibraryPath(): string {
  return resolve(process.env.NEUROGRAPH_LIBRARY || join(homedir(), '.neurograph', 'library.sqlite'));
}

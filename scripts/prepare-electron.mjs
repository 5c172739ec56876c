#!/usr/bin/env node
// better-sqlite3 for Electron's ABI, into .native/electron/<os>-<arch>/ (see scripts/electron-native.mjs):
// better-sqlite3's prebuilt binary first, else node-gyp against Electron's headers; either result is
// checked against node-abi's ABI for the installed Electron, and a wrong one is refused, never stamped.
//   node scripts/prepare-electron.mjs [--force] [--platform linux|darwin|win32] [--arch x64|arm64|ia32]
import { existsSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrepareError, prepareElectronSqlite } from './electron-native.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const option = (name) => {
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i === -1) return undefined;
  return argv[i].includes('=') ? argv[i].slice(argv[i].indexOf('=') + 1) : argv[i + 1];
};

// The layout before per-target folders: .native/electron/better_sqlite3.node, stamped without a checked ABI.
for (const legacy of ['better_sqlite3.node', 'build.json']) {
  const file = join(root, '.native', 'electron', legacy);
  if (existsSync(file)) rmSync(file);
}

try {
  const r = prepareElectronSqlite({ root, force: argv.includes('--force'), platform: option('platform'), arch: option('arch') });
  for (const note of r.notes) console.warn(`prepare-electron: ${note}`);
  console.log(
    r.skipped
      ? `better-sqlite3 for Electron: up to date, ABI ${r.abi} checked (${r.file})`
      : `better-sqlite3 for Electron: wrote ${r.file} (${r.source}, ABI ${r.abi} checked)`,
  );
} catch (err) {
  console.error(err instanceof PrepareError ? err.message : `prepare-electron: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
}

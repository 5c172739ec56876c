#!/usr/bin/env node
// `npm start`: the desktop app. Prepares better-sqlite3 for Electron's ABI (once: its prebuilt binary, else
// node-gyp; either checked against Electron's ABI, see scripts/electron-native.mjs), builds main, preload
// and renderer with electron-vite, then launches Electron on the build (`electron-vite preview`).
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

function run(label, cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`neurograph start: ${label} failed (exit ${r.status ?? r.signal}).`);
    process.exit(r.status ?? 1);
  }
}

run('preparing better-sqlite3 for Electron', process.execPath, [join(root, 'scripts', 'prepare-electron.mjs')]);
run('build', npx, ['electron-vite', 'build']);
run('electron', npx, ['electron-vite', 'preview', ...process.argv.slice(2)]);

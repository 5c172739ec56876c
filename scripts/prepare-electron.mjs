#!/usr/bin/env node
// better-sqlite3 for Electron: Node and Electron need different native ABI builds. The Node build stays
// in node_modules (tests, CLI, web host); the Electron one is built here against Electron's headers in a
// temporary copy of the package and kept apart in .native/electron/better_sqlite3.node, which the app
// loads through the ProjectStore's `nativeBinding` option. Skipped when it already exists for this version.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, '.native', 'electron');
const outFile = join(outDir, 'better_sqlite3.node');
const stampFile = join(outDir, 'build.json');

const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
const sqliteDir = join(root, 'node_modules', 'better-sqlite3');
const sqliteVersion = JSON.parse(readFileSync(join(sqliteDir, 'package.json'), 'utf8')).version;
const wanted = { electron: electronVersion, betterSqlite3: sqliteVersion, platform: process.platform, arch: process.arch };

function upToDate() {
  if (!existsSync(outFile) || !existsSync(stampFile)) return false;
  try {
    const stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
    return Object.entries(wanted).every(([k, v]) => stamp[k] === v);
  } catch {
    return false;
  }
}

if (upToDate() && !process.argv.includes('--force')) {
  console.log(`better-sqlite3 for Electron ${electronVersion}: up to date (${outFile})`);
  process.exit(0);
}

console.log(`Building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (${process.platform}-${process.arch})…`);
const work = mkdtempSync(join(tmpdir(), 'ng-sqlite-electron-'));
try {
  const copy = join(work, 'better-sqlite3');
  cpSync(sqliteDir, copy, { recursive: true, filter: (src) => !src.includes(`${join('build', 'Release', 'obj')}`) });
  rmSync(join(copy, 'build'), { recursive: true, force: true });
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
  const gyp = spawnSync(
    npx,
    ['--yes', 'node-gyp', 'rebuild', '--release', `--target=${electronVersion}`, `--arch=${process.arch}`, '--dist-url=https://electronjs.org/headers'],
    { cwd: copy, stdio: 'inherit', env: { ...process.env, npm_config_runtime: 'electron', npm_config_target: electronVersion, npm_config_disturl: 'https://electronjs.org/headers' } },
  );
  const built = join(copy, 'build', 'Release', 'better_sqlite3.node');
  if (gyp.status !== 0 || !existsSync(built)) {
    console.error('prepare-electron: node-gyp could not build better-sqlite3 for Electron.');
    console.error('It needs a C++ toolchain (python3, make, g++) and network access to https://electronjs.org/headers.');
    process.exit(gyp.status || 1);
  }
  mkdirSync(outDir, { recursive: true });
  copyFileSync(built, outFile);
  writeFileSync(stampFile, JSON.stringify(wanted, null, 2) + '\n');
  console.log(`Wrote ${outFile}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

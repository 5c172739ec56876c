#!/usr/bin/env node
// `npm run web [-- --port N] [-- --library FILE]`: Neurograph in the browser. Builds the renderer when
// out/renderer is missing or older than its sources, then runs the web host from TS source via tsx.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'out', 'renderer', 'index.html');

/** Newest modification time of any file under the given paths. */
function newest(paths) {
  let latest = 0;
  const visit = (p) => {
    if (!existsSync(p)) return;
    const s = statSync(p);
    if (s.isDirectory()) {
      for (const name of readdirSync(p)) if (name !== 'node_modules') visit(join(p, name));
    } else latest = Math.max(latest, s.mtimeMs);
  };
  paths.forEach(visit);
  return latest;
}

const sources = ['src-renderer', 'src-main/api/contract.ts', 'src-engine', 'electron.vite.config.ts'].map((p) => join(root, p));
const stale = !existsSync(built) || newest(sources) > statSync(built).mtimeMs;
if (stale) {
  console.log(existsSync(built) ? 'Renderer sources changed; rebuilding…' : 'Building the renderer (first run)…');
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
  const build = spawnSync(npx, ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('neurograph web: the renderer build failed (see above).');
    process.exit(build.status ?? 1);
  }
}

const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src-main', 'web', 'main.ts'), ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

// better-sqlite3 for Electron. Node and Electron need different ABI builds of the addon: the Node build stays
// in node_modules (tests, CLI, web host); the Electron one lives apart in .native/electron/<os>-<arch>/,
// where the app loads it through the ProjectStore's `nativeBinding` option and electron-builder packs it.
//
// Two ways to get it, tried in order, each checked against node-abi's ABI for the installed Electron:
//  1. better-sqlite3's own prebuilt binary for Electron (prebuild-install, as its install script does):
//     no C++ toolchain needed, works for another platform's target too;
//  2. node-gyp against Electron's headers (host platform only). node-gyp lets npm_config_* environment
//     variables override its command line, so an npm `nodedir` setting (`npm start` passes it on as
//     npm_config_nodedir) would silently compile against Node's headers: those variables are removed.
// A binary whose ABI is wrong is never kept; the stamp records the ABI that was checked.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { checkAbi, electronAbi } from './native-abi.mjs';

export const ELECTRON_HEADERS_URL = 'https://electronjs.org/headers';

/** electron-builder's `${os}` names, used in electron-builder.yml and by the app (src-main/shell/native.ts). */
export const OS_NAMES = Object.freeze({ darwin: 'mac', mas: 'mac', linux: 'linux', win32: 'win' });

export class PrepareError extends Error {}

/** .native/electron/<os>-<arch>: where the Electron build for one target lives (and is packed from). */
export function nativeTargetDir(root, platform, arch) {
  const os = OS_NAMES[platform];
  if (!os) throw new PrepareError(`unsupported platform '${platform}' (expected one of ${Object.keys(OS_NAMES).join(', ')})`);
  return join(root, '.native', 'electron', `${os}-${arch}`);
}

/** The npm_config_* / npm_package_config_node_gyp_* settings that would change which headers or ABI a build uses. */
const BUILD_KEYS = /^(npm_config_|npm_package_config_node_gyp_)(nodedir|target|target_arch|arch|platform|target_platform|runtime|disturl|dist_url|build_from_source|devdir)$/i;

/** The environment for prebuild-install and node-gyp: the caller's, without settings that would pick other headers. */
export function buildEnv(env) {
  return Object.fromEntries(Object.entries(env).filter(([k, v]) => v !== undefined && !BUILD_KEYS.test(k)));
}

/** Installed versions: Electron and better-sqlite3 (from their package.json files). */
export function installedVersions(root) {
  const version = (pkg) => JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  return { electron: version('electron'), betterSqlite3: version('better-sqlite3') };
}

function defaultRun(cmd, args, opts) {
  const r = spawnSync(cmd, args, { ...opts, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: r.status ?? 1, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? r.error.message : ''}` };
}

/** The lines of a tool's output that say why it failed (not its stack or banner), indented; else its last lines. */
export function whyFailed(output, max = 10) {
  const lines = output.split('\n').map((l) => l.trimEnd()).filter(Boolean);
  const noise = /ERR! (stack\s+at |System |command |cwd |node -v |node-gyp -v |not ok|\$npm_)|^gyp info |^prebuild-install info |^\(node:\d+\)|--trace-warnings/;
  const telling = lines.filter((l) => /ERR!|warn|error|not found|ENOTFOUND|EAI_AGAIN|ECONN/i.test(l) && !noise.test(l));
  return (telling.length ? telling : lines).slice(-max).map((l) => `      ${l}`).join('\n');
}

/** True when the stamp and the binary itself show a checked build for exactly what is wanted. */
function upToDate(outFile, stampFile, wanted) {
  if (!existsSync(outFile) || !existsSync(stampFile)) return false;
  try {
    const stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
    if (!Object.entries(wanted).every(([k, v]) => stamp[k] === v)) return false;
    return checkAbi(readFileSync(outFile), wanted.abi).ok;
  } catch {
    return false;
  }
}

/**
 * Makes .native/electron/<os>-<arch>/better_sqlite3.node for the installed Electron, or throws a
 * PrepareError saying what was tried, what happened and what to do. Synchronous (spawnSync); `run` and
 * `getAbi` are injectable for tests. Returns {file, abi, source, skipped, notes}.
 */
export function prepareElectronSqlite({
  root,
  platform: requestedPlatform = process.platform,
  arch = process.arch,
  force = false,
  env = process.env,
  run = defaultRun,
  getAbi,
  log = (line) => console.log(line),
  versions = installedVersions(root),
}) {
  // The Mac App Store build is a macOS build.
  const platform = requestedPlatform === 'mas' ? 'darwin' : requestedPlatform;
  let target;
  try {
    target = electronAbi(versions.electron, getAbi);
  } catch (err) {
    throw new PrepareError(err instanceof Error ? err.message : String(err));
  }
  const notes = target.note ? [target.note] : [];
  const outDir = nativeTargetDir(root, platform, arch);
  const outFile = join(outDir, 'better_sqlite3.node');
  const stampFile = join(outDir, 'build.json');
  const wanted = { electron: versions.electron, abi: target.abi, betterSqlite3: versions.betterSqlite3, platform, arch };
  const label = `better-sqlite3 ${versions.betterSqlite3} for Electron ${versions.electron} (ABI ${target.abi}, ${platform}-${arch})`;

  const current = upToDate(outFile, stampFile, wanted);
  if (!force && current) return { file: outFile, abi: target.abi, source: 'existing', skipped: true, notes };

  const sqliteDir = join(root, 'node_modules', 'better-sqlite3');
  const work = mkdtempSync(join(tmpdir(), 'ng-sqlite-electron-'));
  const attempts = [];
  try {
    const copy = join(work, 'better-sqlite3');
    const ownBuild = join(sqliteDir, 'build');
    cpSync(sqliteDir, copy, { recursive: true, filter: (src) => src !== ownBuild && !src.startsWith(ownBuild + sep) });
    const built = join(copy, 'build', 'Release', 'better_sqlite3.node');
    const childEnv = buildEnv(env);
    const tryStep = (name, cmd, args) => {
      rmSync(join(copy, 'build'), { recursive: true, force: true });
      log(`${label}: ${name}…`);
      const r = run(cmd, args, { cwd: copy, env: childEnv });
      if (r.status !== 0 || !existsSync(built)) {
        attempts.push(`${name}: failed (exit ${r.status})${r.output.trim() ? `:\n${whyFailed(r.output)}` : ''}`);
        return false;
      }
      const check = checkAbi(readFileSync(built), target.abi, `the ${name} result`);
      if (!check.ok) {
        attempts.push(`${name}: refused: ${check.message}`);
        return false;
      }
      return true;
    };

    const prebuildBin = join(root, 'node_modules', 'prebuild-install', 'bin.js');
    const gypBin = join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    let source = null;
    if (!existsSync(prebuildBin)) attempts.push('prebuilt binary: prebuild-install is not installed (it comes with better-sqlite3; run npm install)');
    else if (tryStep('prebuilt binary (prebuild-install)', process.execPath, [prebuildBin, '--runtime', 'electron', '--target', versions.electron, '--arch', arch, '--platform', platform, '--verbose'])) {
      source = 'prebuilt';
    }
    if (!source) {
      if (platform !== process.platform) attempts.push(`node-gyp: not tried, it cannot build for ${platform} on ${process.platform}`);
      else if (!existsSync(gypBin)) attempts.push('node-gyp: not installed');
      else if (
        tryStep(`node-gyp against Electron's headers (${ELECTRON_HEADERS_URL})`, process.execPath, [
          gypBin,
          'rebuild',
          '--release',
          `--target=${versions.electron}`,
          `--arch=${arch}`,
          `--dist-url=${ELECTRON_HEADERS_URL}`,
          `--devdir=${join(homedir(), '.electron-gyp')}`,
        ])
      ) {
        source = 'node-gyp';
      }
    }

    if (!source) {
      // What was there before stays only if it is itself a checked build of exactly this (a --force
      // retry that failed); otherwise it is not known to fit either, so it goes (the app then says so).
      if (!current) {
        rmSync(outFile, { force: true });
        rmSync(stampFile, { force: true });
      }
      throw new PrepareError(
        [
          `Could not prepare ${label}. Tried:`,
          ...attempts.map((a) => `  - ${a}`),
          ...notes.map((n) => `  (${n})`),
          ...(current ? [`  (the checked build already in ${outDir} was kept)`] : []),
          'What to do:',
          `  - the prebuilt binary needs access to github.com (WiseLibs/better-sqlite3 releases); behind a proxy set HTTPS_PROXY;`,
          `  - building needs python3, make and a C++ compiler, and access to ${ELECTRON_HEADERS_URL};`,
          ...(attempts.some((a) => a.includes(': refused: '))
            ? ['  - a binary for the wrong ABI was refused: a build against Node\'s headers comes from a "nodedir" setting (`npm config get nodedir`, NODE_GYP_* or npm_config_* variables);']
            : []),
          '  - then run `node scripts/prepare-electron.mjs --force`.',
        ].join('\n'),
      );
    }

    mkdirSync(outDir, { recursive: true });
    rmSync(stampFile, { force: true });
    const partial = `${outFile}.partial`;
    cpSync(built, partial);
    renameSync(partial, outFile);
    writeFileSync(stampFile, JSON.stringify({ ...wanted, source, abiSource: target.source }, null, 2) + '\n');
    return { file: outFile, abi: target.abi, source, skipped: false, notes };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Preparing better-sqlite3 for Electron (scripts/electron-native.mjs) with the tools replaced by fakes
 * that leave a chosen binary where the real ones would: the real Node build of better-sqlite3 (what a
 * node-gyp run that took Node's headers produces) or the same file with its ABI symbol set to Electron's.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildEnv, nativeTargetDir, OS_NAMES, PrepareError, prepareElectronSqlite, whyFailed, type Run } from '../../../scripts/electron-native.mjs';
import { nativeFolder } from '../../../src-main/shell';
import { REPO } from '../../helpers/reference';

const NODE_ABI = process.versions.modules;
const ELECTRON_ABI = readFileSync(resolve(REPO, 'node_modules/electron/abi_version'), 'utf8').trim();
const nodeBuild = readFileSync(resolve(REPO, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'));
const electronBuild = Buffer.from(nodeBuild.toString('latin1').replaceAll(`node_register_module_v${NODE_ABI}`, `node_register_module_v${ELECTRON_ABI}`), 'latin1');
const versions = { electron: '45.4.1', betterSqlite3: '12.11.1' };

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'ng-native-'));
  for (const [dir, file] of [
    ['better-sqlite3', 'package.json'],
    ['prebuild-install', 'bin.js'],
    ['node-gyp/bin', 'node-gyp.js'],
  ]) {
    mkdirSync(join(root, 'node_modules', dir), { recursive: true });
    writeFileSync(join(root, 'node_modules', dir, file), '{}');
  }
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

interface Call {
  tool: string;
  args: string[];
  env: Record<string, string>;
}
/** A fake prebuild-install / node-gyp: each leaves the given bytes as build/Release/better_sqlite3.node, or fails. */
function tools(results: { prebuilt?: Buffer | null; gyp?: Buffer | null }, calls: Call[] = []): Run {
  return (_cmd, args, { cwd, env }) => {
    const tool = basename(args[0]) === 'bin.js' ? 'prebuild-install' : 'node-gyp';
    calls.push({ tool, args, env });
    const bytes = tool === 'prebuild-install' ? results.prebuilt : results.gyp;
    if (!bytes) return { status: 1, output: tool === 'prebuild-install' ? 'prebuild-install warn install getaddrinfo ENOTFOUND github.com' : 'gyp ERR! configure error\ngyp ERR! stack at go (install.js:1)' };
    mkdirSync(join(cwd, 'build', 'Release'), { recursive: true });
    writeFileSync(join(cwd, 'build', 'Release', 'better_sqlite3.node'), bytes);
    return { status: 0, output: '' };
  };
}
const quiet = () => {};
const outFile = () => join(nativeTargetDir(root, process.platform, process.arch), 'better_sqlite3.node');
const stampFile = () => join(nativeTargetDir(root, process.platform, process.arch), 'build.json');

describe('prepareElectronSqlite', () => {
  it("takes better-sqlite3's prebuilt binary for Electron when it has Electron's ABI, and stamps the ABI it checked", () => {
    const calls: Call[] = [];
    const r = prepareElectronSqlite({ root, versions, run: tools({ prebuilt: electronBuild }, calls), log: quiet });
    expect(r).toMatchObject({ abi: Number(ELECTRON_ABI), source: 'prebuilt', skipped: false, file: outFile() });
    expect(calls.map((c) => c.tool)).toEqual(['prebuild-install']);
    expect(calls[0].args.slice(1)).toEqual(['--runtime', 'electron', '--target', '45.4.1', '--arch', process.arch, '--platform', process.platform, '--verbose']);
    expect(readFileSync(outFile()).equals(electronBuild)).toBe(true);
    expect(JSON.parse(readFileSync(stampFile(), 'utf8'))).toEqual({
      electron: '45.4.1',
      abi: Number(ELECTRON_ABI),
      betterSqlite3: '12.11.1',
      platform: process.platform,
      arch: process.arch,
      source: 'prebuilt',
      abiSource: 'node-abi',
    });
  });

  it("refuses a node-gyp build that came out with Node's ABI (an npm nodedir setting) and stamps nothing", () => {
    const run = tools({ prebuilt: null, gyp: nodeBuild });
    let error: unknown;
    try {
      prepareElectronSqlite({ root, versions, run, log: quiet });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PrepareError);
    const message = (error as Error).message;
    expect(message).toContain(`Could not prepare better-sqlite3 12.11.1 for Electron 45.4.1 (ABI ${ELECTRON_ABI}, ${process.platform}-${process.arch})`);
    expect(message).toContain('prebuilt binary (prebuild-install): failed (exit 1):\n      prebuild-install warn install getaddrinfo ENOTFOUND github.com');
    expect(message).toContain(`refused: the node-gyp against Electron's headers (https://electronjs.org/headers) result was built for ABI ${NODE_ABI} (Node ${process.versions.node.split('.')[0]}), but it must be ${ELECTRON_ABI}`);
    expect(message).toMatch(/nodedir/);
    expect(message).not.toMatch(/up to date/);
    expect(existsSync(outFile())).toBe(false);
    expect(existsSync(stampFile())).toBe(false);
  });

  it("runs node-gyp with Electron's headers and without the npm settings that would override them", () => {
    const calls: Call[] = [];
    const env = { PATH: '/usr/bin', HTTPS_PROXY: 'http://proxy:3128', npm_config_nodedir: '/usr', NPM_CONFIG_TARGET: '20.0.0', npm_config_runtime: 'node', npm_package_config_node_gyp_nodedir: '/usr', npm_config_cache: '/c' };
    const r = prepareElectronSqlite({ root, versions, env, run: tools({ prebuilt: null, gyp: electronBuild }, calls), log: quiet });
    expect(r.source).toBe('node-gyp');
    const gyp = calls.find((c) => c.tool === 'node-gyp')!;
    expect(gyp.args.slice(1, 6)).toEqual(['rebuild', '--release', '--target=45.4.1', `--arch=${process.arch}`, '--dist-url=https://electronjs.org/headers']);
    for (const call of calls) expect(call.env).toEqual({ PATH: '/usr/bin', HTTPS_PROXY: 'http://proxy:3128', npm_config_cache: '/c' });
  });

  it('trusts the stamp only while the binary itself still has the ABI: a swapped-in Node build is rebuilt', () => {
    prepareElectronSqlite({ root, versions, run: tools({ prebuilt: electronBuild }), log: quiet });
    const calls: Call[] = [];
    expect(prepareElectronSqlite({ root, versions, run: tools({ prebuilt: electronBuild }, calls), log: quiet }).skipped).toBe(true);
    expect(calls).toEqual([]);
    writeFileSync(outFile(), nodeBuild);
    const again = prepareElectronSqlite({ root, versions, run: tools({ prebuilt: electronBuild }, calls), log: quiet });
    expect([again.skipped, calls.length]).toEqual([false, 1]);
    expect(readFileSync(outFile()).equals(electronBuild)).toBe(true);
  });

  it('a new Electron version rebuilds, and when that fails the old binary is removed rather than kept unverified', () => {
    prepareElectronSqlite({ root, versions, run: tools({ prebuilt: electronBuild }), log: quiet });
    const newer = { ...versions, electron: '44.0.0' };
    expect(() => prepareElectronSqlite({ root, versions: newer, run: tools({}), log: quiet })).toThrow(PrepareError);
    expect(existsSync(outFile())).toBe(false);
  });

  it('a --force rebuild that fails keeps the checked build that was there', () => {
    prepareElectronSqlite({ root, versions, run: tools({ prebuilt: electronBuild }), log: quiet });
    expect(() => prepareElectronSqlite({ root, versions, force: true, run: tools({}), log: quiet })).toThrow(/the checked build already in .* was kept/);
    expect(readFileSync(outFile()).equals(electronBuild)).toBe(true);
    expect(prepareElectronSqlite({ root, versions, run: tools({}), log: quiet }).skipped).toBe(true);
  });

  it("does not try node-gyp for another platform's target, and says so", () => {
    const other = process.platform === 'win32' ? 'linux' : 'win32';
    expect(() => prepareElectronSqlite({ root, versions, platform: other, arch: 'x64', run: tools({}), log: quiet })).toThrow(`node-gyp: not tried, it cannot build for ${other} on ${process.platform}`);
  });

  it('stores each target apart, in the folder the app looks in (shell nativeFolder) and electron-builder packs (${os}-${arch})', () => {
    for (const platform of ['darwin', 'linux', 'win32']) {
      expect(nativeTargetDir(root, platform, 'arm64')).toBe(join(root, '.native', 'electron', nativeFolder(platform, 'arm64')));
    }
    expect(OS_NAMES).toMatchObject({ darwin: 'mac', linux: 'linux', win32: 'win' });
    expect(() => nativeTargetDir(root, 'aix', 'x64')).toThrow(/unsupported platform 'aix'/);
  });
});

describe('buildEnv and whyFailed', () => {
  it('drops exactly the settings that pick headers or an ABI', () => {
    expect(buildEnv({ npm_config_nodedir: '/usr', npm_config_dist_url: 'x', npm_config_arch: 'ia32', npm_config_proxy: 'p', HOME: '/root', u: undefined })).toEqual({ npm_config_proxy: 'p', HOME: '/root' });
  });
  it("keeps a tool's telling lines, not its stack trace", () => {
    const out = 'gyp info it worked\ngyp ERR! configure error\ngyp ERR! stack at go (x.js:1)\ngyp ERR! not ok';
    expect(whyFailed(out)).toBe('      gyp ERR! configure error');
  });
});

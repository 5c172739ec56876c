/**
 * electron-builder.yml, read and checked by electron-builder's own code (it cannot build installers
 * here: no Electron download): the schema accepts it, its `files` patterns select the build and leave out
 * the sources and tests, the native module comes from .native and is unpacked, and every target and file
 * association the installers promise is there.
 */
import { Minimatch } from 'minimatch';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import * as fileMatcher from 'app-builder-lib/out/fileMatcher';
import { DebugLogger } from 'builder-util';
import { REPO } from '../../helpers/reference';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Config = Record<string, any>;
type Matcher = fileMatcher.FileMatcher;
// What electron-builder's packager calls to pick the app's files (marked @internal in its typings).
const { getMainFileMatchers, getNodeModuleFileMatcher } = fileMatcher as unknown as {
  getMainFileMatchers(appDir: string, dest: string, expand: (s: string) => string, options: object, packager: never, outDir: string, electronCompile: boolean): Matcher[];
  getNodeModuleFileMatcher(appDir: string, dest: string, expand: (s: string) => string, options: object, packager: never): Matcher;
};
const config = (await getConfig(REPO, null, null)) as Config;
const expand = (s: string) => s.replaceAll('${os}', 'linux').replaceAll('${arch}', 'x64');
const stat = (dir: boolean) => ({ isDirectory: () => dir, isFile: () => !dir, isSymbolicLink: () => false }) as never;
const dest = '/tmp/app';

function mainMatchers() {
  const packager = { info: { projectDir: REPO, buildResourcesDir: join(REPO, 'build'), config, isPrepackedAppAsar: false, debugLogger: new DebugLogger(false) } };
  return getMainFileMatchers(REPO, dest, expand, {}, packager as never, join(REPO, 'dist'), false);
}

describe('electron-builder.yml', () => {
  it("passes electron-builder's schema", async () => {
    await expect(validateConfiguration(config as never, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('packs the build, sample data and docs; not sources, tests, bench, scripts, maps or the icon sources', () => {
    const filter = mainMatchers()[0].createFilter();
    const packed = (file: string) => filter(join(REPO, file), stat(false));
    const yes = ['out/main/index.js', 'out/main/trainer.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'out/renderer/assets/index.js', 'resources/datasets/iris.csv', 'resources/docs/OPTIMIZERS.md', 'package.json'];
    const no = ['out/main/index.js.map', 'src-main/electron/main.ts', 'src-engine/index.ts', 'tests/unit/shell/menu.test.ts', 'bench/run.ts', 'scripts/start.mjs', 'resources/icon.svg', 'resources/screenshots/first-start.png', 'electron-builder.yml', 'README.md', '.native/electron/linux-x64/better_sqlite3.node'];
    expect(yes.filter((f) => !packed(f))).toEqual([]);
    expect(no.filter(packed)).toEqual([]);
  });

  it("leaves better-sqlite3's Node build and sources and tsx out of the node_modules it packs", () => {
    const packager = { config, debugLogger: new DebugLogger(false) };
    const filter = getNodeModuleFileMatcher(REPO, dest, expand, {}, packager as never).createFilter();
    const packed = (file: string) => filter(join(REPO, file), stat(false));
    expect(['node_modules/better-sqlite3/lib/index.js', 'node_modules/better-sqlite3/package.json', 'node_modules/zod/package.json'].filter((f) => !packed(f))).toEqual([]);
    expect(['node_modules/better-sqlite3/build/Release/better_sqlite3.node', 'node_modules/better-sqlite3/deps/sqlite3/sqlite3.c', 'node_modules/tsx/dist/cli.mjs', 'node_modules/@esbuild/linux-x64/bin/esbuild'].filter(packed)).toEqual([]);
  });

  it("takes this target's Electron build of better-sqlite3 from .native and unpacks it from the asar", () => {
    const native = mainMatchers()[1];
    expect([native.from, native.to, native.patterns]).toEqual([join(REPO, '.native/electron/linux-x64'), join(dest, '.native/electron/linux-x64'), ['better_sqlite3.node']]);
    const unpack = (config.asarUnpack as string[]).map((p) => new Minimatch(p, { dot: true }));
    expect(unpack.some((m) => m.match('.native/electron/linux-x64/better_sqlite3.node'))).toBe(true);
    expect(unpack.some((m) => m.match('out/main/index.js'))).toBe(false);
  });

  it('builds AppImage and deb, dmg (x64, arm64) and nsis, with the icon and both hooks; no in-place npm rebuild', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual([{ target: 'dmg', arch: ['x64', 'arm64'] }]);
    expect(config.win.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(config.npmRebuild).toBe(false);
    for (const hook of [config.beforePack, config.afterPack]) expect(existsSync(resolve(REPO, hook))).toBe(true);
    const png = readFileSync(resolve(REPO, config.icon));
    // PNG signature, then the IHDR chunk's width and height (big-endian): 512×512, what electron-builder needs for every platform.
    expect([png.subarray(1, 4).toString(), png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual(['PNG', 512, 512]);
  });

  it('associates .neurograph projects everywhere and model .json as an alternate handler on macOS and Linux', () => {
    expect(config.fileAssociations).toEqual([expect.objectContaining({ ext: 'neurograph', mimeType: 'application/x-neurograph-project', rank: 'Owner' })]);
    expect(config.mac.fileAssociations).toEqual([expect.objectContaining({ ext: 'json', rank: 'Alternate' })]);
    expect(config.linux.fileAssociations).toEqual([expect.objectContaining({ ext: 'json', mimeType: 'application/json' })]);
    expect(config.win.fileAssociations).toBeUndefined();
  });

  it('npm run dist builds the app, then the installers', () => {
    const scripts = JSON.parse(readFileSync(resolve(REPO, 'package.json'), 'utf8')).scripts as Record<string, string>;
    expect(scripts.dist).toBe('electron-vite build && electron-builder --publish never');
  });
});

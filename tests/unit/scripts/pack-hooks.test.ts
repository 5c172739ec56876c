/**
 * The electron-builder hooks (scripts/before-pack.mjs, scripts/after-pack.mjs) on fake packed apps: a
 * file with Electron's fuse sentinel and wire stands in for the Electron binary, and @electron/fuses
 * itself reads the wire back; the packed better-sqlite3 is the real Node build or the same file with
 * Electron's ABI in its symbol.
 */
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { Arch } from 'builder-util';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import afterPack, { fuseConfig, packedPaths } from '../../../scripts/after-pack.mjs';
import beforePack, { ARCH_NAMES, targetOf, type PackContext } from '../../../scripts/before-pack.mjs';
import { REPO } from '../../helpers/reference';

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const NODE_ABI = process.versions.modules;
const ELECTRON_ABI = readFileSync(resolve(REPO, 'node_modules/electron/abi_version'), 'utf8').trim();
const nodeBuild = readFileSync(resolve(REPO, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'));
const electronBuild = Buffer.from(nodeBuild.toString('latin1').replaceAll(`node_register_module_v${NODE_ABI}`, `node_register_module_v${ELECTRON_ABI}`), 'latin1');
/** A fuse's byte in the wire: ASCII '0' off, '1' on (@electron/fuses' FuseState). */
const S = { off: '0'.charCodeAt(0), on: '1'.charCodeAt(0) };

/** An "Electron binary": bytes around the fuse sentinel, wire version 1, 8 fuses in Electron's default states. */
function fakeElectron(): Buffer {
  const defaults = [S.on, S.on, S.on, S.on, S.off, S.off, S.off, S.on];
  return Buffer.concat([Buffer.alloc(4096, 7), Buffer.from(SENTINEL), Buffer.from([1, defaults.length, ...defaults]), Buffer.alloc(4096, 9)]);
}

let out: string;
beforeEach(() => {
  out = mkdtempSync(join(tmpdir(), 'ng-pack-'));
});
afterEach(() => rmSync(out, { recursive: true, force: true }));

/** A packed Linux app: appOutDir/neurograph and resources/app.asar.unpacked/.native/electron/linux-x64/. */
function linuxApp(native: Buffer | null): PackContext {
  writeFileSync(join(out, 'neurograph'), fakeElectron());
  if (native) {
    const dir = join(out, 'resources', 'app.asar.unpacked', '.native', 'electron', 'linux-x64');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'better_sqlite3.node'), native);
  }
  return { appOutDir: out, electronPlatformName: 'linux', arch: Arch.x64, packager: { projectDir: REPO, executableName: 'neurograph', appInfo: { productFilename: 'Neurograph' } } };
}

describe('afterPack', () => {
  it('flips the fuses: RunAsNode, NODE_OPTIONS, --inspect and file:// privileges off; cookie encryption, asar integrity and asar-only on', async () => {
    await afterPack(linuxApp(electronBuild));
    const wire = await getCurrentFuseWire(join(out, 'neurograph'));
    expect({
      RunAsNode: wire[FuseV1Options.RunAsNode],
      EnableCookieEncryption: wire[FuseV1Options.EnableCookieEncryption],
      EnableNodeOptionsEnvironmentVariable: wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable],
      EnableNodeCliInspectArguments: wire[FuseV1Options.EnableNodeCliInspectArguments],
      EnableEmbeddedAsarIntegrityValidation: wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation],
      OnlyLoadAppFromAsar: wire[FuseV1Options.OnlyLoadAppFromAsar],
      LoadBrowserProcessSpecificV8Snapshot: wire[FuseV1Options.LoadBrowserProcessSpecificV8Snapshot],
      GrantFileProtocolExtraPrivileges: wire[FuseV1Options.GrantFileProtocolExtraPrivileges],
    }).toEqual({
      RunAsNode: S.off,
      EnableCookieEncryption: S.on,
      EnableNodeOptionsEnvironmentVariable: S.off,
      EnableNodeCliInspectArguments: S.off,
      EnableEmbeddedAsarIntegrityValidation: S.on,
      OnlyLoadAppFromAsar: S.on,
      LoadBrowserProcessSpecificV8Snapshot: S.off,
      GrantFileProtocolExtraPrivileges: S.off,
    });
  });

  it("stops the build when the packed better-sqlite3 has Node's ABI, before touching the binary", async () => {
    const context = linuxApp(nodeBuild);
    await expect(afterPack(context)).rejects.toThrow(`was built for ABI ${NODE_ABI} (Node ${process.versions.node.split('.')[0]}), but it must be ${ELECTRON_ABI}`);
    expect(readFileSync(join(out, 'neurograph')).equals(fakeElectron())).toBe(true);
  });

  it('stops the build when the native module was not packed unpacked', async () => {
    await expect(afterPack(linuxApp(null))).rejects.toThrow(/has no .*linux-x64\/better_sqlite3\.node: check "files" and "asarUnpack"/);
  });

  it('finds the executable and resources of macOS, Windows and Linux apps; re-signs only arm64 macOS', () => {
    const ctx = (platform: string): PackContext => ({ appOutDir: '/o', electronPlatformName: platform, arch: Arch.x64, packager: { projectDir: REPO, executableName: 'neurograph', appInfo: { productFilename: 'Neurograph' } } });
    expect(packedPaths(ctx('darwin'))).toEqual({ electron: '/o/Neurograph.app', resources: '/o/Neurograph.app/Contents/Resources' });
    expect(packedPaths(ctx('win32'))).toEqual({ electron: '/o/Neurograph.exe', resources: '/o/resources' });
    expect(packedPaths(ctx('linux'))).toEqual({ electron: '/o/neurograph', resources: '/o/resources' });
    expect([fuseConfig('darwin', 'arm64').resetAdHocDarwinSignature, fuseConfig('darwin', 'x64').resetAdHocDarwinSignature, fuseConfig('linux', 'arm64').resetAdHocDarwinSignature]).toEqual([true, false, false]);
  });
});

describe('beforePack', () => {
  it("names targets by builder-util's Arch enum", () => {
    for (const [name, value] of Object.entries(Arch).filter(([, v]) => typeof v === 'number')) expect(ARCH_NAMES[value as number]).toBe(name);
    expect(targetOf({ arch: Arch.arm64, electronPlatformName: 'mas' })).toEqual({ platform: 'darwin', arch: 'arm64' });
  });

  it('prepares the native module for the target being packed; a universal pack is left to its x64 and arm64 packs', async () => {
    const asked: unknown[] = [];
    const prepare = ((opts: { root: string; platform: string; arch: string }) => {
      asked.push({ root: opts.root, platform: opts.platform, arch: opts.arch });
      return { file: 'f', abi: 150, source: 'prebuilt', skipped: false, notes: [] };
    }) as never;
    const ctx = (electronPlatformName: string, arch: number): PackContext => ({ appOutDir: out, electronPlatformName, arch, packager: { projectDir: '/repo', appInfo: { productFilename: 'Neurograph' } } });
    await beforePack(ctx('win32', Arch.x64), prepare);
    await beforePack(ctx('darwin', Arch.universal), prepare);
    await expect(beforePack(ctx('linux', Arch.armv7l), prepare)).rejects.toThrow(/armv7l/);
    expect(asked).toEqual([{ root: '/repo', platform: 'win32', arch: 'x64' }]);
  });
});

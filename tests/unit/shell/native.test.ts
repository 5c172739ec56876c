/** Where the app loads better-sqlite3 built for Electron (src-main/shell/native.ts), unpacked or from a clone. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nativeBindingPath, nativeFolder } from '../../../src-main/shell';

describe('nativeBindingPath', () => {
  it("uses electron-builder's ${os}-${arch} folder names", () => {
    expect([nativeFolder('darwin', 'arm64'), nativeFolder('win32', 'x64'), nativeFolder('linux', 'x64')]).toEqual(['mac-arm64', 'win-x64', 'linux-x64']);
    expect(() => nativeFolder('sunos', 'x64')).toThrow(/unsupported platform/);
  });

  it("a clone's app folder, and a packaged app.asar's unpacked twin", () => {
    expect(nativeBindingPath('/repo', 'linux', 'x64')).toBe(join('/repo', '.native/electron/linux-x64/better_sqlite3.node'));
    expect(nativeBindingPath('/opt/Neurograph/resources/app.asar', 'linux', 'x64')).toBe(join('/opt/Neurograph/resources/app.asar.unpacked', '.native/electron/linux-x64/better_sqlite3.node'));
  });
});

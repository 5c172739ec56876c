/**
 * Where the app finds better-sqlite3 built for Electron's ABI: .native/electron/<os>-<arch>/ in the app
 * folder, with electron-builder's `${os}` names (scripts/electron-native.mjs writes it, electron-builder.yml
 * packs it, unpacked from the asar archive since a shared library cannot be loaded from inside one).
 */
import { join } from 'node:path';
import { NeurographError } from '../../src-engine';

const OS_NAMES: Readonly<Record<string, string>> = { darwin: 'mac', linux: 'linux', win32: 'win' };

export function nativeFolder(platform: string, arch: string): string {
  const os = OS_NAMES[platform];
  if (!os) throw new NeurographError(`unsupported platform '${platform}' (Neurograph runs on macOS, Windows and Linux)`, 'failed', 'platform');
  return `${os}-${arch}`;
}

/** The addon's path for an app folder (app.getAppPath()); inside a packaged app's app.asar, its .unpacked twin. */
export function nativeBindingPath(appPath: string, platform: string, arch: string): string {
  const root = /\.asar$/i.test(appPath) ? `${appPath}.unpacked` : appPath;
  return join(root, '.native', 'electron', nativeFolder(platform, arch), 'better_sqlite3.node');
}

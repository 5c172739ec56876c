// electron-builder beforePack hook (electron-builder.yml): before each target is packed, put better-sqlite3
// for Electron's ABI and that target's OS and arch in .native/electron/<os>-<arch>/, where `files` picks it
// up (scripts/electron-native.mjs: prebuilt binary, else node-gyp on the same OS; ABI checked or it stops).
import { prepareElectronSqlite } from './electron-native.mjs';

/** builder-util's Arch enum, by value: what electron-builder passes as context.arch. */
export const ARCH_NAMES = Object.freeze(['ia32', 'x64', 'armv7l', 'arm64', 'universal']);

/** The target of a pack context: Node's platform name and electron-builder's arch name. */
export function targetOf(context) {
  const arch = ARCH_NAMES[context.arch];
  if (!arch) throw new Error(`before-pack: unknown arch ${context.arch}`);
  return { platform: context.electronPlatformName === 'mas' ? 'darwin' : context.electronPlatformName, arch };
}

export default async function beforePack(context, prepare = prepareElectronSqlite) {
  const { platform, arch } = targetOf(context);
  // A universal macOS app is merged from its x64 and arm64 packs, each prepared on its own.
  if (arch === 'universal') return;
  // electron-builder's armv7l is Node's 'arm': the app would look in another folder than the one packed.
  if (arch === 'armv7l') throw new Error('before-pack: armv7l targets are not configured for the native module (see scripts/before-pack.mjs)');
  const r = prepare({ root: context.packager.projectDir, platform, arch, log: (line) => console.log(`  • ${line}`) });
  for (const note of r.notes) console.warn(`  • ${note}`);
  console.log(`  • better-sqlite3 for Electron ${platform}-${arch}: ${r.file} (${r.skipped ? 'up to date' : r.source}, ABI ${r.abi} checked)`);
}

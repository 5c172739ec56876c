// electron-builder afterPack hook (electron-builder.yml), run on each packed app before it is signed and
// turned into an installer: checks the packed better-sqlite3 once more against Electron's ABI, then flips
// the Electron fuses (https://www.electronjs.org/docs/latest/tutorial/fuses):
//   RunAsNode off                                  ELECTRON_RUN_AS_NODE cannot turn the app into a plain Node
//   EnableCookieEncryption on                      cookies and storage encrypted with an OS-held key
//   EnableNodeOptionsEnvironmentVariable off       NODE_OPTIONS cannot inject code
//   EnableNodeCliInspectArguments off              --inspect cannot attach a debugger
//   EnableEmbeddedAsarIntegrityValidation on       app.asar must match the hash electron-builder embeds (macOS, Windows)
//   OnlyLoadAppFromAsar on                         the app runs only from app.asar, not a folder put next to it
//   GrantFileProtocolExtraPrivileges off           the page is served from app://, file:// needs no extra rights
import { flipFuses, FuseV1Options, FuseVersion } from '@electron/fuses';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { targetOf } from './before-pack.mjs';
import { installedVersions, nativeTargetDir } from './electron-native.mjs';
import { checkAbi, electronAbi } from './native-abi.mjs';

export function fuseConfig(platform, arch) {
  return {
    version: FuseVersion.V1,
    // Flipping a fuse changes the binary: an arm64 macOS app must be ad-hoc signed again to launch.
    resetAdHocDarwinSignature: platform === 'darwin' && arch === 'arm64',
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  };
}

/** Where a packed app keeps its Electron executable (what flipFuses takes) and its resources folder. */
export function packedPaths(context) {
  const { appOutDir, electronPlatformName: platform, packager } = context;
  if (platform === 'darwin' || platform === 'mas') {
    const app = join(appOutDir, `${packager.appInfo.productFilename}.app`);
    return { electron: app, resources: join(app, 'Contents', 'Resources') };
  }
  const exe = platform === 'win32' ? `${packager.appInfo.productFilename}.exe` : packager.executableName;
  return { electron: join(appOutDir, exe), resources: join(appOutDir, 'resources') };
}

/** Throws unless the packed app holds better-sqlite3 for Electron's ABI, unpacked where the app loads it. */
export function checkPackedNative(resources, platform, arch, electronVersion) {
  const folder = nativeTargetDir(join(resources, 'app.asar.unpacked'), platform, arch);
  const file = join(folder, 'better_sqlite3.node');
  if (!existsSync(file)) throw new Error(`after-pack: the packed app has no ${file}: check "files" and "asarUnpack" in electron-builder.yml`);
  const { abi } = electronAbi(electronVersion);
  const check = checkAbi(readFileSync(file), abi, file);
  if (!check.ok) throw new Error(`after-pack: ${check.message}`);
  return { file, abi };
}

export default async function afterPack(context) {
  const { platform, arch } = targetOf(context);
  const paths = packedPaths(context);
  if (arch !== 'universal') {
    const { file, abi } = checkPackedNative(paths.resources, platform, arch, installedVersions(context.packager.projectDir).electron);
    console.log(`  • packed ${file}: ABI ${abi} checked`);
  }
  await flipFuses(paths.electron, fuseConfig(platform, arch));
  console.log(`  • Electron fuses flipped in ${paths.electron}`);
}

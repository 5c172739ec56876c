// Types of scripts/before-pack.mjs (plain Node, not typechecked) for the tests that import it.
import type { prepareElectronSqlite } from './electron-native.mjs';
export interface PackContext {
  appOutDir: string;
  electronPlatformName: string;
  arch: number;
  packager: { projectDir: string; executableName?: string; appInfo: { productFilename: string } };
}
export declare const ARCH_NAMES: readonly string[];
export declare function targetOf(context: Pick<PackContext, 'arch' | 'electronPlatformName'>): { platform: string; arch: string };
export default function beforePack(context: PackContext, prepare?: typeof prepareElectronSqlite): Promise<void>;

// Types of scripts/after-pack.mjs (plain Node, not typechecked) for the tests that import it.
import type { FuseConfig } from '@electron/fuses';
import type { PackContext } from './before-pack.mjs';
export declare function fuseConfig(platform: string, arch: string): FuseConfig;
export declare function packedPaths(context: PackContext): { electron: string; resources: string };
export declare function checkPackedNative(resources: string, platform: string, arch: string, electronVersion: string): { file: string; abi: number };
export default function afterPack(context: PackContext): Promise<void>;

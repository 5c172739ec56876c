// Types of scripts/electron-native.mjs (plain Node, not typechecked) for the tests that import it.
export declare const ELECTRON_HEADERS_URL: string;
export declare const OS_NAMES: Readonly<Record<string, string>>;
export declare class PrepareError extends Error {}
export declare function nativeTargetDir(root: string, platform: string, arch: string): string;
export declare function buildEnv(env: Record<string, string | undefined>): Record<string, string>;
export declare function installedVersions(root: string): { electron: string; betterSqlite3: string };
export declare function whyFailed(output: string, max?: number): string;
export interface RunResult {
  status: number;
  output: string;
}
export type Run = (cmd: string, args: string[], opts: { cwd: string; env: Record<string, string> }) => RunResult;
export declare function prepareElectronSqlite(opts: {
  root: string;
  platform?: string;
  arch?: string;
  force?: boolean;
  env?: Record<string, string | undefined>;
  run?: Run;
  getAbi?: (target: string, runtime: string) => string;
  log?: (line: string) => void;
  versions?: { electron: string; betterSqlite3: string };
}): { file: string; abi: number; source: 'prebuilt' | 'node-gyp' | 'existing'; skipped: boolean; notes: string[] };

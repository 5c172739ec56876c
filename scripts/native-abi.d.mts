// Types of scripts/native-abi.mjs (plain Node, not typechecked) for the tests that import it.
export declare const ELECTRON_ABI_FALLBACK: Readonly<Record<number, number>>;
export declare function moduleAbis(bytes: Uint8Array): number[];
export declare function describeAbi(abi: number, targets?: ReadonlyArray<{ runtime: string; target: string; abi: string }>): string;
export declare function electronAbi(
  version: string,
  getAbi?: (target: string, runtime: string) => string,
): { abi: number; source: 'node-abi' | 'fallback table'; note: string | null };
export declare function checkAbi(
  bytes: Uint8Array,
  expected: number,
  what?: string,
): { ok: true; abi: number; message: null } | { ok: false; abi: number | null; message: string };

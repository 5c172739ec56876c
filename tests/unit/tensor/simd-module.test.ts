/**
 * The WebAssembly kernels ship as a generated TypeScript module (base64 bytes). It must be exactly what
 * scripts/build-wasm.mjs builds from the AssemblyScript source today, so no opaque binary drifts.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../../helpers/reference';

describe('src-engine/tensor/wasm/simd.wasm.ts', () => {
  it('is what scripts/build-wasm.mjs builds from simd.as.ts (run `npm run build:wasm` after editing the source)', async () => {
    const script = (await import(resolve(REPO, 'scripts/build-wasm.mjs'))) as { buildModule(): Promise<string>; OUTPUT: string };
    const committed = readFileSync(resolve(REPO, script.OUTPUT), 'utf8');
    expect(committed).toBe(await script.buildModule());
  }, 60_000);

  it('holds a module with SIMD that compiles, imports only env.memory and exports the kernels', async () => {
    const { SIMD_WASM_BASE64 } = await import('../../../src-engine/tensor/wasm/simd.wasm');
    const bytes = Buffer.from(SIMD_WASM_BASE64, 'base64');
    expect(WebAssembly.validate(bytes)).toBe(true);
    // Small enough to compile synchronously on a browser page's main thread (the renderer's limit is 4 KB).
    expect(bytes.length).toBeLessThan(4096);
    const mod = new WebAssembly.Module(bytes);
    expect(WebAssembly.Module.imports(mod)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
    expect(WebAssembly.Module.exports(mod).map((e) => e.name).sort()).toEqual(['adam', 'blend', 'colsum', 'gemm', 'sumsq', 'tanh']);
  });
});

/**
 * The arena's memory plan: aligned regions, growth that re-registers the memory and tells the owner,
 * fixed regions inserted under the activations (contents kept, new region zeroed), and the rule that a
 * product runs in WebAssembly only when every operand lies in one arena.
 */
import { describe, expect, it } from 'vitest';
import { Arena, linearForward, setWasmKernels, wasmKernels } from '../../../src-engine/tensor';

const arena = () => Arena.create(65536)!;

describe('Arena', () => {
  it('hands out 64-byte aligned regions past offset 0 (0 means "no bias" to the kernels)', () => {
    const a = arena();
    const r1 = a.alloc(3);
    const r2 = a.alloc(1);
    expect(r1).toBeGreaterThan(0);
    expect(r1 % 64).toBe(0);
    expect(r2 - r1).toBe(64);
    expect(a.view(r1, 3).length).toBe(3);
  });

  it('grows when a region does not fit, calls onGrow, and knows its new buffer', () => {
    const a = arena();
    let grown = 0;
    a.onGrow = () => grown++;
    const first = a.view(a.alloc(4), 4);
    const big = a.alloc(100_000);
    expect(grown).toBe(1);
    expect(first.length).toBe(0); // the old view is detached: owners must re-make their views
    const v = a.view(big, 100_000);
    expect(Arena.holding(v)).toBe(a);
    expect(Arena.holding(first)).toBeNull();
  });

  it('insert() moves what follows the fixed regions up, keeps it, zeroes the new region and reports the shift', () => {
    const a = arena();
    const fixedAt = a.alloc(4);
    a.fix();
    const actAt = a.alloc(8);
    a.view(fixedAt, 4).set([1, 2, 3, 4]);
    a.view(actAt, 8).set([1, 2, 3, 4, 5, 6, 7, 8]);
    let shift = 0;
    a.onShift = (bytes) => (shift = bytes);
    const state = a.insert(5);
    expect(state).toBe(actAt);
    expect(shift).toBe(64);
    expect(Array.from(a.view(state, 5))).toEqual([0, 0, 0, 0, 0]);
    expect(Array.from(a.view(actAt + shift, 8))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(Array.from(a.view(fixedAt, 4))).toEqual([1, 2, 3, 4]);
    expect(a.fixed()).toBe(actAt + 64);
    // Releasing the activations never frees a fixed region.
    a.release(0);
    expect(a.alloc(1)).toBe(a.fixed());
  });

  it('runs a product in WebAssembly only when every operand is in the same arena', () => {
    const a = arena();
    const b = arena();
    a.planScratch(8);
    const v = (ar: Arena, n: number, fill: number) => ar.view(ar.alloc(n), n).fill(fill);
    const x = v(a, 4, 1);
    const w = v(a, 4, 2);
    expect(Arena.of(x, w, x, null)).toBe(a);
    expect(Arena.of(x, v(b, 4, 2), x, null)).toBeNull();
    expect(Arena.of(x, new Float32Array(4), x, null)).toBeNull();
    // Mixed placement still computes, in TypeScript: 1·2 summed over 4 inputs.
    const out = new Float32Array(1);
    linearForward(out, x, v(b, 4, 2), null, 1, 4, 1);
    expect(out[0]).toBe(8);
    linearForward(out, x, w, null, 1, 4, 1);
    expect(out[0]).toBe(8);
  });

  it('is not created while the kernels are switched off (the TypeScript fallback)', () => {
    expect(wasmKernels()).toBe(true);
    setWasmKernels(false);
    try {
      expect(wasmKernels()).toBe(false);
      expect(Arena.create(1024)).toBeNull();
    } finally {
      setWasmKernels(true);
    }
  });
});

export { Rng } from './rng';
export { alloc, mat, fromRows, toRows } from './buffer';
export type { DType, Buf, Mat } from './buffer';
export { matmulBt, matmulAcc, outerAcc, sumSquares, dot, argmax, logSumExp } from './kernels';
export { linearForward, linearInputGrad, linearWeightGrad } from './gemm';
export { tanhInArena } from './activation';
export { Arena, wasmKernels, setWasmKernels } from './arena';

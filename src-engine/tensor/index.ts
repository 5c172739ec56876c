export { Rng } from './rng';
export { alloc, mat, fromRows, toRows } from './buffer';
export type { DType, Buf, Mat } from './buffer';
export { matmulBt, matmulAcc, outerAcc, sumSquares, dot, argmax, logSumExp } from './kernels';

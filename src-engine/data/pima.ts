/**
 * A synthetic table shaped like the Pima Indians diabetes data the lectures use (768 rows, 8
 * features, 268 positive): the real table is not redistributable here, so rows are drawn from
 * class-conditional normals whose means and spreads follow the published per-class summaries,
 * clamped and rounded to plausible values. It is NOT the real data; results on it are illustrative.
 */
import { Rng } from '../tensor';
import type { Dataset } from './dataset';

export const PIMA_COLUMNS = [
  'pregnancies',
  'glucose',
  'blood_pressure',
  'skin_thickness',
  'insulin',
  'bmi',
  'diabetes_pedigree',
  'age',
] as const;

/** Per feature: [mean, std] for outcome 0 and outcome 1, lower bound, decimals kept. */
const SHAPE: readonly { neg: [number, number]; pos: [number, number]; min: number; decimals: number }[] = [
  { neg: [3.3, 3.0], pos: [4.9, 3.7], min: 0, decimals: 0 },
  { neg: [110, 26], pos: [141, 32], min: 44, decimals: 0 },
  { neg: [68, 12], pos: [71, 13], min: 24, decimals: 0 },
  { neg: [20, 15], pos: [22, 18], min: 0, decimals: 0 },
  { neg: [69, 99], pos: [100, 139], min: 0, decimals: 0 },
  { neg: [30.3, 7.7], pos: [35.1, 7.3], min: 18, decimals: 1 },
  { neg: [0.43, 0.3], pos: [0.55, 0.37], min: 0.078, decimals: 3 },
  { neg: [31, 11.7], pos: [37, 11], min: 21, decimals: 0 },
];

export const PIMA_ROWS = 768;
export const PIMA_POSITIVE = 268;

/** 768 × 8 inputs, target `outcome` ∈ {0, 1} with exactly 268 ones; the same seed gives the same table. */
export function pimaSynthetic(seed = 1936): Dataset {
  const rng = new Rng(seed);
  const labels = rng.shuffle(Array.from({ length: PIMA_ROWS }, (_, i) => (i < PIMA_POSITIVE ? 1 : 0)));
  const x = labels.map((label) =>
    SHAPE.map((f) => {
      const [mean, std] = label ? f.pos : f.neg;
      const p = 10 ** f.decimals;
      return Math.round(Math.max(f.min, rng.normal(mean, std)) * p) / p;
    }),
  );
  return {
    name: 'Pima-shaped diabetes (synthetic)',
    task: 'classification',
    inputNames: [...PIMA_COLUMNS],
    outputNames: ['outcome'],
    x,
    y: labels.map((l) => [l]),
    classes: ['0', '1'],
  };
}

import type { Buf, Rng } from '../tensor';
import type { ParamSpec } from '../layers';

/** Weight initializers. All draw from the seeded generator passed in. */
export const INITIALIZERS = [
  'default',
  'xavier_uniform',
  'xavier_normal',
  'kaiming_uniform',
  'kaiming_normal',
  'lecun_normal',
  'playground',
  'zeros',
  'constant',
] as const;
export type InitName = (typeof INITIALIZERS)[number];

export const INIT_DOCS: Record<InitName, string> = {
  default: "PyTorch's Linear default: W, b ~ U(−1/√fan_in, 1/√fan_in)",
  xavier_uniform: 'Glorot: W ~ U(−√(6/(fan_in+fan_out)), +√(6/(fan_in+fan_out))), b = 0 — for tanh/sigmoid',
  xavier_normal: 'Glorot: W ~ N(0, 2/(fan_in+fan_out)), b = 0',
  kaiming_uniform: 'He: W ~ U(−√(6/fan_in), +√(6/fan_in)), b = 0 — for ReLU',
  kaiming_normal: 'He: W ~ N(0, 2/fan_in), b = 0 — for ReLU',
  lecun_normal: 'LeCun: W ~ N(0, 1/fan_in), b = 0 — for SELU (self-normalizing nets)',
  playground: 'TensorFlow Playground: W ~ U(−0.5, 0.5), b = 0.1',
  zeros: 'all zeros (every neuron stays identical: symmetry is never broken)',
  constant: 'every weight = value, b = 0',
};

/** Fills one parameter according to its role and the chosen scheme. */
export function initParam(out: Buf, p: ParamSpec, scheme: InitName, rng: Rng, constant = 0.1): void {
  const n = out.length;
  if (p.init === 'ones') return void out.fill(1);
  if (p.init === 'zeros') return void out.fill(0);
  if (typeof p.init === 'object') return void out.fill(p.init.constant);
  const fanIn = Math.max(1, p.fanIn);
  const fanOut = Math.max(1, p.fanOut);
  const bias = p.init === 'bias';
  const uniform = (b: number) => {
    for (let i = 0; i < n; i++) out[i] = rng.uniform(-b, b);
  };
  const normal = (std: number) => {
    for (let i = 0; i < n; i++) out[i] = rng.normal(0, std);
  };
  switch (scheme) {
    case 'default':
      return uniform(1 / Math.sqrt(fanIn));
    case 'playground':
      return bias ? void out.fill(0.1) : uniform(0.5);
    case 'zeros':
      return void out.fill(0);
    case 'constant':
      return void out.fill(bias ? 0 : constant);
  }
  if (bias) return void out.fill(0);
  switch (scheme) {
    case 'xavier_uniform':
      return uniform(Math.sqrt(6 / (fanIn + fanOut)));
    case 'xavier_normal':
      return normal(Math.sqrt(2 / (fanIn + fanOut)));
    case 'kaiming_uniform':
      return uniform(Math.sqrt(6 / fanIn));
    case 'kaiming_normal':
      return normal(Math.sqrt(2 / fanIn));
    case 'lecun_normal':
      return normal(Math.sqrt(1 / fanIn));
  }
}

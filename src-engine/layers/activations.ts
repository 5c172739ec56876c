import type { ActivationDef, AttrSpec, Attrs, LayerDoc } from './types';
import { erfc, sigmoid, softplus } from './special';

/**
 * The element-wise activations: y = f(x), dy/dx = df(x, y). Names, attributes and defaults follow
 * PyTorch; values at kinks follow PyTorch's backward (checked with torch 1.13 autograd). NaN in
 * gives NaN out (torch 1.13's Softshrink alone returns 0 for NaN; we keep NaN visible); ±Inf gives
 * what PyTorch gives (e.g. SiLU(−∞) = −∞·0 = NaN, Sigmoid(−∞) = 0).
 */

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;
const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 0.3989422804014327;
const GELU_K = Math.sqrt(2 / Math.PI);
const GELU_C = 0.044715;
/** PyTorch's hardsigmoid backward multiplies by the float32 constant 1.0f/6.0f, in every dtype. */
const ONE_SIXTH_F32 = Math.fround(1 / 6);

/** An attribute's value, or its default when the node does not set it. */
function num(a: Attrs, name: string, dflt: number): number {
  const v = a[name];
  return typeof v === 'number' ? v : dflt;
}

function attr(name: string, dflt: number, extra: Partial<AttrSpec> = {}): AttrSpec {
  return { name, kind: 'number', default: dflt, ...extra };
}

function def(
  type: string,
  attrs: AttrSpec[],
  f: ActivationDef['f'],
  df: ActivationDef['df'],
  doc: LayerDoc,
): ActivationDef {
  return { type, attrs, f, df, doc };
}

const clamp = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x);
const positive: Partial<AttrSpec> = { min: 0, exclusive: true };

export const ACTIVATIONS: Record<string, ActivationDef> = {
  Identity: def('Identity', [], (x) => x, () => 1, {
    label: 'Identity (linear)', formula: 'f(x) = x', derivative: "f'(x) = 1",
    note: 'Linear neuron (Adaline, regression output); linear layers stacked without a nonlinearity collapse into one.',
  }),
  ReLU: def('ReLU', [], (x) => (x > 0 || x !== x ? x : 0), (_x, y) => (y <= 0 ? 0 : 1), {
    label: 'ReLU', formula: 'f(x) = max(0, x)', derivative: "f'(x) = 1 if x > 0, else 0 (0 at x = 0)",
    note: 'The default for hidden layers: cheap to compute, but zero gradient for x < 0 can leave units dead.',
  }),
  ReLU6: def('ReLU6', [], (x) => clamp(x, 0, 6), (x) => (x <= 0 || x >= 6 ? 0 : 1), {
    label: 'ReLU6', formula: 'f(x) = min(max(0, x), 6)', derivative: "f'(x) = 1 if 0 < x < 6, else 0",
    note: 'ReLU capped at 6, so activations stay bounded (used in mobile networks).',
  }),
  LeakyReLU: def('LeakyReLU', [attr('negative_slope', 0.01, { min: 0, max: 1, help: 'slope α for x < 0: 0 is ReLU, 1 the identity; 0.01 by default, 0.2 is common in GANs' })],
    (x, a) => (x > 0 ? x : x * num(a, 'negative_slope', 0.01)),
    (x, _y, a) => (x > 0 ? 1 : num(a, 'negative_slope', 0.01)), {
      label: 'Leaky ReLU', formula: 'f(x) = x if x > 0, else α·x  (α = negative_slope)',
      derivative: "f'(x) = 1 if x > 0, else α (α at x = 0)",
      note: 'A small slope α left of zero keeps the gradient alive and makes the range more symmetric around zero.',
    }),
  ELU: def('ELU', [attr('alpha', 1, { min: 0, help: 'ELU tends to −α for x → −∞; 1 by default' })],
    (x, a) => (x > 0 || x !== x ? x : num(a, 'alpha', 1) * Math.expm1(x)),
    (x, _y, a) => (x <= 0 ? num(a, 'alpha', 1) * Math.exp(x) : 1), {
      label: 'ELU', formula: 'f(x) = x if x > 0, else α(eˣ − 1)', derivative: "f'(x) = 1 if x > 0, else α·eˣ (α at x = 0)",
      note: 'A smooth approximation of ReLU with negative outputs; it needs an exponent, so it is slower.',
    }),
  CELU: def('CELU', [attr('alpha', 1, positive)],
    (x, a) => { const al = num(a, 'alpha', 1); return x > 0 || x !== x ? x : al * Math.expm1(x / al); },
    (x, _y, a) => (x <= 0 ? Math.exp(x / num(a, 'alpha', 1)) : 1), {
      label: 'CELU', formula: 'f(x) = x if x > 0, else α(e^(x/α) − 1)', derivative: "f'(x) = 1 if x > 0, else e^(x/α)",
      note: 'ELU rescaled so that its derivative is continuous at 0 for every α.',
    }),
  SELU: def('SELU', [],
    (x) => SELU_SCALE * (x > 0 || x !== x ? x : SELU_ALPHA * Math.expm1(x)),
    (x) => (x <= 0 ? SELU_SCALE * SELU_ALPHA * Math.exp(x) : SELU_SCALE), {
      label: 'SELU', formula: 'f(x) = λx if x > 0, else λα(eˣ − 1);  λ ≈ 1.0507, α ≈ 1.6733',
      derivative: "f'(x) = λ if x > 0, else λα·eˣ",
      note: 'Self-normalising: keeps activations near zero mean and unit variance through deep plain MLPs.',
    }),
  GELU: def('GELU', [{ name: 'approximate', kind: 'enum', default: 'none', options: ['none', 'tanh'] }],
    (x, a) => {
      if (a.approximate === 'tanh') return 0.5 * x * (1 + Math.tanh(GELU_K * (x + GELU_C * x * x * x)));
      return x * 0.5 * erfc(-x * SQRT1_2);
    },
    (x, _y, a) => {
      if (a.approximate === 'tanh') {
        const t = Math.tanh(GELU_K * (x + GELU_C * x * x * x));
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_K * (1 + 3 * GELU_C * x * x);
      }
      return 0.5 * erfc(-x * SQRT1_2) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    }, {
      label: 'GELU', formula: 'f(x) = x·Φ(x) = x/2·(1 + erf(x/√2));  tanh: x/2·(1 + tanh(√(2/π)(x + 0.044715x³)))',
      derivative: "f'(x) = Φ(x) + x·φ(x),  φ(x) = e^(−x²/2)/√(2π)",
      note: 'A smooth ReLU that weights x by the probability Φ(x); one of the modern activations in the lecture table.',
    }),
  Sigmoid: def('Sigmoid', [], sigmoid, (_x, y) => y * (1 - y), {
    label: 'Sigmoid (logistic)', formula: 'σ(x) = 1 / (1 + e^−x)', derivative: "σ'(x) = σ(x)(1 − σ(x)) ≤ 0.25",
    note: 'Output for binary classification (lecture 05 calls it the exponential sigmoid); flat tails and a derivative ≤ 0.25 make gradients vanish.',
  }),
  LogSigmoid: def('LogSigmoid', [], (x) => -softplus(-x), (x) => sigmoid(-x), {
    label: 'LogSigmoid', formula: 'f(x) = log σ(x) = −ln(1 + e^−x)', derivative: "f'(x) = 1 − σ(x)",
    note: 'The log of the sigmoid computed without overflow, for log-probability outputs.',
  }),
  Tanh: def('Tanh', [], Math.tanh, (_x, y) => 1 - y * y, {
    label: 'Tanh', formula: 'tanh(x) = (eˣ − e^−x) / (eˣ + e^−x)', derivative: "f'(x) = 1 − tanh²(x)",
    note: 'Bounded and zero-centred, unlike the sigmoid, but its tails still make gradients vanish; usual in RNNs.',
  }),
  SiLU: def('SiLU', [], (x) => x * sigmoid(x), (x) => { const s = sigmoid(x); return s * (1 + x * (1 - s)); }, {
    label: 'SiLU (Swish)', formula: 'f(x) = x·σ(x) = x / (1 + e^−x)', derivative: "f'(x) = σ(x)(1 + x(1 − σ(x)))",
    note: 'Swish: a smooth, non-monotonic alternative to ReLU from the lecture table of modern activations.',
  }),
  Mish: def('Mish', [], (x) => x * Math.tanh(softplus(x)),
    (x) => { const t = Math.tanh(softplus(x)); return t + x * sigmoid(x) * (1 - t * t); }, {
      label: 'Mish', formula: 'f(x) = x·tanh(ln(1 + eˣ))', derivative: "f'(x) = tanh(sp) + x·σ(x)(1 − tanh²(sp)),  sp = ln(1 + eˣ)",
      note: 'A smooth self-gated activation like Swish, with a small negative dip that keeps gradients flowing.',
    }),
  Softplus: def('Softplus', [attr('beta', 1, positive), attr('threshold', 20)],
    (x, a) => { const b = num(a, 'beta', 1); return b * x > num(a, 'threshold', 20) ? x : softplus(b * x) / b; },
    (x, _y, a) => { const b = num(a, 'beta', 1); return b * x > num(a, 'threshold', 20) ? 1 : sigmoid(b * x); }, {
      label: 'Softplus', formula: 'f(x) = (1/β)·ln(1 + e^(βx));  x where βx > threshold',
      derivative: "f'(x) = σ(βx);  1 where βx > threshold",
      note: 'A smooth rectifier: a differentiable approximation of ReLU whose derivative is the sigmoid.',
    }),
  Softsign: def('Softsign', [], (x) => x / (1 + Math.abs(x)), (x) => { const d = 1 + Math.abs(x); return 1 / (d * d); }, {
    label: 'Softsign', formula: 'f(x) = x / (1 + |x|)', derivative: "f'(x) = 1 / (1 + |x|)²",
    note: 'Like tanh, but its polynomial tails saturate more slowly.',
  }),
  Hardswish: def('Hardswish', [], (x) => (x * clamp(x + 3, 0, 6)) / 6,
    (x) => (x < -3 ? 0 : x <= 3 ? x / 3 + 0.5 : 1), {
      label: 'Hardswish', formula: 'f(x) = 0 if x ≤ −3;  x if x ≥ 3;  x(x + 3)/6 otherwise',
      derivative: "f'(x) = 0 if x < −3;  x/3 + 1/2 if −3 ≤ x ≤ 3;  1 if x > 3",
      note: 'A cheap piecewise approximation of Swish without exponents.',
    }),
  Hardsigmoid: def('Hardsigmoid', [], (x) => clamp(x + 3, 0, 6) / 6, (x) => (x > -3 && x < 3 ? ONE_SIXTH_F32 : 0), {
    label: 'Hardsigmoid', formula: 'f(x) = 0 if x ≤ −3;  1 if x ≥ 3;  x/6 + 1/2 otherwise',
    derivative: "f'(x) = 1/6 if −3 < x < 3, else 0",
    note: 'A cheap piecewise-linear sigmoid; zero gradient outside (−3, 3).',
  }),
  Hardtanh: def('Hardtanh', [attr('min_val', -1), attr('max_val', 1)],
    (x, a) => clamp(x, num(a, 'min_val', -1), num(a, 'max_val', 1)),
    (x, _y, a) => (x <= num(a, 'min_val', -1) || x >= num(a, 'max_val', 1) ? 0 : 1), {
      label: 'Hardtanh', formula: 'f(x) = min(max(x, min_val), max_val)',
      derivative: "f'(x) = 1 if min_val < x < max_val, else 0",
      note: 'A piecewise-linear tanh; units stuck outside the linear band receive no gradient.',
    }),
  Tanhshrink: def('Tanhshrink', [], (x) => x - Math.tanh(x), (x) => { const t = Math.tanh(x); return t * t; }, {
    label: 'Tanhshrink', formula: 'f(x) = x − tanh(x)', derivative: "f'(x) = tanh²(x)",
    note: 'Near zero for small inputs and linear for large ones; its derivative vanishes at 0.',
  }),
  Softshrink: def('Softshrink', [attr('lambd', 0.5, { min: 0 })],
    (x, a) => { const l = num(a, 'lambd', 0.5); return x > l ? x - l : x < -l ? x + l : x !== x ? x : 0; },
    (x, _y, a) => { const l = num(a, 'lambd', 0.5); return x >= -l && x <= l ? 0 : 1; }, {
      label: 'Softshrink', formula: 'f(x) = x − λ if x > λ;  x + λ if x < −λ;  0 otherwise',
      derivative: "f'(x) = 1 if |x| > λ, else 0",
      note: 'Soft thresholding: shrinks every value towards zero by λ and zeroes the small ones.',
    }),
  Hardshrink: def('Hardshrink', [attr('lambd', 0.5, { min: 0 })],
    (x, a) => { const l = num(a, 'lambd', 0.5); return x >= -l && x <= l ? 0 : x; },
    (x, _y, a) => { const l = num(a, 'lambd', 0.5); return x >= -l && x <= l ? 0 : 1; }, {
      label: 'Hardshrink', formula: 'f(x) = x if |x| > λ;  0 otherwise', derivative: "f'(x) = 1 if |x| > λ, else 0",
      note: 'Hard thresholding: keeps large values unchanged and zeroes those within ±λ.',
    }),
  Step: def('Step', [], (x) => (x > 0 ? 1 : x < 0 ? 0 : x === 0 ? 0.5 : x), () => 0, {
    label: 'Step (Heaviside)', formula: 'f(x) = 0 if x < 0;  0.5 if x = 0;  1 if x > 0',
    derivative: "f'(x) = 0 (no gradient flows through it)",
    note: "The perceptron's threshold function; gradient descent cannot train the layers below it.",
  }),
  Sign: def('Sign', [], Math.sign, () => 0, {
    label: 'Sign (signum)', formula: 'f(x) = −1 if x < 0;  0 if x = 0;  1 if x > 0',
    derivative: "f'(x) = 0 (no gradient flows through it)",
    note: 'The bipolar threshold of the perceptron variant; like Step, it cannot be trained by backprop.',
  }),
  PiecewiseLinear: def('PiecewiseLinear', [], (x) => clamp(x + 0.5, 0, 1), (x) => (x > -0.5 && x < 0.5 ? 1 : 0), {
    label: 'Piecewise linear', formula: 'f(x) = 0 if x ≤ −1/2;  x + 1/2 if −1/2 < x < 1/2;  1 if x ≥ 1/2',
    derivative: "f'(x) = 1 if −1/2 < x < 1/2, else 0",
    note: 'A linear ramp between the two levels of the threshold function (the lecture table, as in SVMs).',
  }),
  BipolarSigmoid: def('BipolarSigmoid', [attr('a', 1, { ...positive, help: 'slope' })],
    (x, a) => Math.tanh((num(a, 'a', 1) * x) / 2),
    (_x, y, a) => (num(a, 'a', 1) / 2) * (1 - y * y), {
      label: 'Bipolar sigmoid', formula: 'f(x) = 2 / (1 + e^(−a·x)) − 1 = tanh(a·x/2)',
      derivative: "f'(x) = (a/2)(1 − f(x)²)",
      note: 'The sigmoid stretched to (−1, 1) (lecture 05): zero-centred, but its tails still saturate.',
    }),
};

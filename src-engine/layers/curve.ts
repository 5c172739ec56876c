/**
 * An activation's curve for the inspector's plot: f(x) and f′(x) over a range, from the same
 * definitions training uses (PReLU at its initial slope, RReLU at its evaluation slope (lower+upper)/2).
 * Null for node types that are not element-wise activations.
 */
import { ACTIVATIONS } from './activations';
import type { Attrs } from './types';

export interface Curve {
  x: number[];
  f: number[];
  df: number[];
}

export function activationCurve(type: string, attrs: Attrs, from = -4, to = 4, points = 161): Curve | null {
  const num = (k: string, d: number) => (typeof attrs[k] === 'number' ? (attrs[k] as number) : d);
  let f: (x: number) => number;
  let df: (x: number, y: number) => number;
  if (Object.prototype.hasOwnProperty.call(ACTIVATIONS, type)) {
    const def = ACTIVATIONS[type];
    f = (x) => def.f(x, attrs);
    df = (x, y) => def.df(x, y, attrs);
  } else if (type === 'PReLU' || type === 'RReLU') {
    const a = type === 'PReLU' ? num('init', 0.25) : (num('lower', 1 / 8) + num('upper', 1 / 3)) / 2;
    f = (x) => (x >= 0 ? x : a * x);
    df = (x) => (x > 0 ? 1 : a);
  } else return null;
  const out: Curve = { x: [], f: [], df: [] };
  for (let i = 0; i < points; i++) {
    const x = from + ((to - from) * i) / (points - 1);
    const y = f(x);
    out.x.push(x);
    out.f.push(y);
    out.df.push(df(x, y));
  }
  return out;
}

import { OptimizerError, type Objective, type Optimizer, type OptimizerConfig } from './types';

/** A hyper-parameter value as it appears in a model's `training.optimizer` block. */
export type HyperValue = number | boolean | string | null | [number, number];

/** How the UI edits a hyper-parameter and how it is validated. `pair` is PyTorch's tuple of two numbers. */
export interface HyperSpec {
  name: string;
  kind: 'number' | 'int' | 'bool' | 'enum' | 'pair';
  default: HyperValue;
  /** Bounds on a number (each element of a pair); `minOpen`/`maxOpen` make them exclusive. */
  min?: number;
  max?: number;
  minOpen?: boolean;
  maxOpen?: boolean;
  /** A number that may also be null (meaning: derived from other hyper-parameters). */
  nullable?: boolean;
  /** Allowed values of an enum (may include null). */
  options?: (string | null)[];
  /** One line for the UI's tooltip. */
  doc: string;
}

/** What the UI and the CLI know about an optimizer. */
export interface OptimizerInfo {
  name: string;
  label: string;
  fullBatchOnly: boolean;
  defaults: Record<string, HyperValue>;
  hyper: HyperSpec[];
  /** One paragraph with the update rule. */
  description: string;
  /** Keys of `stats()`. */
  stats: string[];
}

/** Hyper-parameters after validation, defaults filled in. */
export type Hypers = Record<string, HyperValue>;

/** A registry entry: the catalog info and a factory receiving validated hyper-parameters. */
export interface OptimizerDef {
  info: Omit<OptimizerInfo, 'defaults'>;
  /** Cross-parameter checks beyond per-field bounds (e.g. nesterov needs momentum > 0). */
  check?: (h: Hypers, fail: (param: string, message: string) => never) => void;
  create(h: Hypers, size: number): Optimizer;
}

function range(s: HyperSpec): string {
  const lo = s.min === undefined ? '(-inf' : `${s.minOpen ? '(' : '['}${s.min}`;
  const hi = s.max === undefined ? 'inf)' : `${s.max}${s.maxOpen ? ')' : ']'}`;
  return `${lo}, ${hi}`;
}

function inRange(s: HyperSpec, v: number): boolean {
  if (s.min !== undefined && (s.minOpen ? !(v > s.min) : !(v >= s.min))) return false;
  if (s.max !== undefined && (s.maxOpen ? !(v < s.max) : !(v <= s.max))) return false;
  return true;
}

function show(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? `[${v.join(', ')}]` : String(v);
}

/**
 * Validates `config` against the optimizer's specs: unknown names, wrong types and out-of-range
 * values throw an OptimizerError naming the parameter, e.g. "adam: betas[0] must be in [0, 1), got 1.5".
 */
export function readHypers(def: OptimizerDef, config: OptimizerConfig): Hypers {
  const opt = def.info.name;
  const fail = (param: string, message: string): never => {
    throw new OptimizerError(`${opt}: ${message}`, opt, param);
  };
  const specs = new Map(def.info.hyper.map((s) => [s.name, s]));
  for (const key of Object.keys(config)) {
    if (key !== 'name' && !specs.has(key)) {
      fail(key, `unknown hyper-parameter "${key}" (known: ${[...specs.keys()].join(', ')})`);
    }
  }
  const out: Hypers = {};
  for (const s of def.info.hyper) {
    const raw = config[s.name];
    const v = raw === undefined ? s.default : raw;
    out[s.name] = checkValue(s, v, fail);
  }
  def.check?.(out, fail);
  return out;
}

function checkValue(s: HyperSpec, v: unknown, fail: (p: string, m: string) => never): HyperValue {
  const num = (x: unknown, label: string): number => {
    if (typeof x !== 'number' || !Number.isFinite(x)) fail(s.name, `${label} must be a finite number, got ${show(x)}`);
    const n = x as number;
    if (s.kind === 'int' && !Number.isInteger(n)) fail(s.name, `${label} must be an integer, got ${n}`);
    if (!inRange(s, n)) fail(s.name, `${label} must be in ${range(s)}, got ${n}`);
    return n;
  };
  switch (s.kind) {
    case 'number':
    case 'int':
      return v === null && s.nullable ? null : num(v, s.name);
    case 'bool':
      if (typeof v !== 'boolean') fail(s.name, `${s.name} must be true or false, got ${show(v)}`);
      return v as boolean;
    case 'enum':
      if (!(s.options ?? []).includes(v as string | null)) {
        fail(s.name, `${s.name} must be one of ${(s.options ?? []).map(show).join(', ')}, got ${show(v)}`);
      }
      return v as string | null;
    case 'pair': {
      if (!Array.isArray(v) || v.length !== 2) fail(s.name, `${s.name} must be a pair of numbers, got ${show(v)}`);
      const p = v as unknown[];
      return [num(p[0], `${s.name}[0]`), num(p[1], `${s.name}[1]`)];
    }
  }
}

/** The common `lr` spec; `def` is the optimizer's default learning rate. */
export function lrSpec(def: number, doc = 'learning rate η'): HyperSpec {
  return { name: 'lr', kind: 'number', default: def, min: 0, doc };
}

export const num = (h: Hypers, k: string): number => h[k] as number;
export const pair = (h: Hypers, k: string): [number, number] => h[k] as [number, number];

/** True when every entry of g is finite; first-order methods skip the update otherwise. */
export function allFinite(g: ArrayLike<number>): boolean {
  for (let i = 0; i < g.length; i++) if (!Number.isFinite(g[i])) return false;
  return true;
}

/** True when the objective's gradient is finite: its own word for it (a finite norm) when it has one, else a scan. */
export function gradientFinite(objective: Objective): boolean {
  return objective.gradFinite === true || allFinite(objective.grad);
}

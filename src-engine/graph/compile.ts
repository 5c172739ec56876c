import { NeurographError } from '../errors';
import { alloc, Arena, mat, Rng, type Buf, type DType } from '../tensor';
import { layerDef, type ParamBuffers } from '../layers';
import { initParam, INITIALIZERS, type InitName } from './init';
import { Model, type CompiledNode, type ModelMemory, type ParamView } from './model';
import type { GraphSpec, ModelJson, ParamValue } from './types';
import { analyzeGraph, GraphError } from './validate';

export interface CompileOptions {
  dtype?: DType;
  /** Seed for the initializer when the source carries no params. */
  seed?: number;
  init?: InitName | string;
  /** Value for the 'constant' initializer. */
  initValue?: number;
}

/** Thrown when supplied parameters or state do not fit the graph; names node and field. */
export class ParamError extends NeurographError {
  constructor(message: string, path: string) {
    super(`${path}: ${message}`, 'invalid_params', path);
  }
}

function flatten(value: ParamValue, shape: number[], path: string): number[] {
  const expected = shape.length === 2 ? `${shape[0]}×${shape[1]}` : `${shape[0]}`;
  if (!Array.isArray(value)) throw new ParamError(`expected an array of ${expected} numbers`, path);
  let flat: unknown[];
  if (shape.length === 2) {
    if (value.length !== shape[0]) throw new ParamError(`expected ${shape[0]} rows (${expected}), got ${value.length}`, path);
    flat = [];
    value.forEach((row, r) => {
      if (!Array.isArray(row) || row.length !== shape[1]) {
        throw new ParamError(`row ${r} should have ${shape[1]} values, got ${Array.isArray(row) ? row.length : typeof row}`, `${path}[${r}]`);
      }
      flat.push(...row);
    });
  } else {
    if (value.length !== shape[0]) throw new ParamError(`expected ${expected} values, got ${value.length}`, path);
    flat = value;
  }
  flat.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      const at = shape.length === 2 ? `[${Math.floor(i / shape[1])}][${i % shape[1]}]` : `[${i}]`;
      throw new ParamError(`value ${JSON.stringify(v)} is not a finite number`, `${path}${at}`);
    }
  });
  return flat as number[];
}

/**
 * Compiles a GraphSpec (or model JSON) into a runnable Model: topological order, shape inference,
 * one flat parameter vector. Parameters come from `source.params` when present, else from the
 * seeded initializer. Throws GraphError (with every issue) or ParamError.
 */
export function compile(source: GraphSpec | ModelJson, opts: CompileOptions = {}): Model {
  const analysis = analyzeGraph(source);
  if (analysis.issues.some((i) => i.severity === 'error')) throw new GraphError(analysis.issues);
  const dtype = opts.dtype ?? 'float32';
  const scheme = (opts.init ?? 'default') as InitName;
  if (!INITIALIZERS.includes(scheme)) throw new ParamError(`unknown initializer '${opts.init}' (known: ${INITIALIZERS.join(', ')})`, 'training.init');
  const given = 'params' in source && source.params ? source.params : null;
  const givenState = 'state' in source && source.state ? source.state : null;
  const specById = new Map(source.nodes.map((n) => [n.id, n]));
  const index = new Map(analysis.order.map((id, i) => [id, i]));

  // Lay out θ.
  const views: ParamView[] = [];
  let size = 0;
  for (const id of analysis.order) {
    const node = specById.get(id)!;
    const def = layerDef(node.type)!;
    const inW = (node.in ?? []).map((s) => analysis.widths[s]);
    for (const p of def.params?.(analysis.attrs[id], inW, analysis.widths[id]) ?? []) {
      const n = p.shape.reduce((a, b) => a * b, 1);
      views.push({ node: id, name: p.name, shape: p.shape, offset: size, size: n, decay: p.decay, spec: p });
      size += n;
    }
  }
  if (given) {
    for (const nid of Object.keys(given)) {
      if (!views.some((v) => v.node === nid)) throw new ParamError(`node '${nid}' has no parameters in this graph`, `params.${nid}`);
      for (const name of Object.keys(given[nid] ?? {})) {
        if (!views.some((v) => v.node === nid && v.name === name)) throw new ParamError(`${nid} has no parameter '${name}'`, `params.${nid}.${name}`);
      }
    }
  }
  // A float32 model keeps θ, its gradients and (planned at the first batch) its activations in one
  // WebAssembly arena where the SIMD kernels can run, if they can run here; else ordinary arrays.
  const arena = dtype === 'float32' ? Arena.create(2 * Arena.aligned(size) + 65536) : null;
  let memory: ModelMemory | null = null;
  let theta: Buf;
  let grad: Buf;
  if (arena) {
    memory = { arena, thetaAt: arena.alloc(size), gradAt: arena.alloc(size), params: [] };
    // Scratch for the widest product a layer can ask for: its columns are a node's width or a weight's side.
    arena.planScratch(Math.max(1, ...Object.values(analysis.widths), ...views.flatMap((v) => v.shape)));
    arena.fix();
    theta = arena.view(memory.thetaAt, size);
    grad = arena.view(memory.gradAt, size);
  } else {
    theta = alloc(dtype, size);
    grad = alloc(dtype, size);
  }
  const rng = new Rng(opts.seed ?? 0);
  for (const v of views) {
    const target = theta.subarray(v.offset, v.offset + v.size);
    const value = given?.[v.node]?.[v.name];
    if (value !== undefined) target.set(flatten(value, v.shape, `params.${v.node}.${v.name}`));
    else if (given && given[v.node]) throw new ParamError(`missing parameter '${v.name}'`, `params.${v.node}.${v.name}`);
    else initParam(target, v.spec, scheme, rng, opts.initValue);
  }

  // Nodes, state and ops.
  const states: Model['states'] = [];
  const nodes: CompiledNode[] = analysis.order.map((id) => {
    const node = specById.get(id)!;
    const def = layerDef(node.type)!;
    const attrs = analysis.attrs[id];
    const inW = (node.in ?? []).map((s) => analysis.widths[s]);
    const width = analysis.widths[id];
    const params: Record<string, ParamBuffers> = Object.create(null);
    for (const v of views) {
      if (v.node !== id) continue;
      params[v.name] = { value: theta.subarray(v.offset, v.offset + v.size), grad: grad.subarray(v.offset, v.offset + v.size) };
      memory?.params.push({ buffers: params[v.name], offset: v.offset, size: v.size });
    }
    const state: Record<string, Buf> = Object.create(null);
    for (const s of def.state?.(attrs, inW, width) ?? []) {
      const data = alloc('float64', s.length).fill(s.init);
      const v = givenState?.[id]?.[s.name];
      if (v !== undefined) {
        const path = `state.${id}.${s.name}`;
        const arr = s.scalar ? [v] : v;
        if (!Array.isArray(arr) || arr.length !== s.length) throw new ParamError(`expected ${s.length} values`, path);
        arr.forEach((x, i) => {
          if (typeof x !== 'number' || !Number.isFinite(x)) throw new ParamError(`value ${JSON.stringify(x)} is not a finite number`, `${path}[${i}]`);
        });
        data.set(arr as number[]);
      }
      state[s.name] = data;
      states.push({ node: id, spec: s, data });
    }
    const op = def.create({ id, attrs, inWidths: inW, width, params, state, dtype });
    return {
      id,
      type: def.type,
      def,
      width,
      inputs: (node.in ?? []).map((s) => index.get(s)!),
      op,
      out: mat(dtype, 0, width),
      dOut: mat(dtype, 0, width),
    };
  });
  const outputIndex = index.get(source.outputs[0])!;
  return new Model(dtype, nodes, index.get(analysis.inputId!)!, outputIndex, theta, grad, views, states, memory);
}

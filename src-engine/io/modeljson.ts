import { z } from 'zod';
import { analyzeGraph, compile, ParamError, type Model } from '../graph';
import type { GraphSpec, ModelJson, TrainingBlock } from '../graph/types';
import { formatPath, ModelJsonError, NewerVersionError, parseJsonSafely } from './errors';

const num = z.number().refine(Number.isFinite, 'must be a finite number');
const paramValue = z.union([z.array(num), z.array(z.array(num))]);

export const trainingBlockSchema = z.strictObject({
  loss: z.string().min(1),
  optimizer: z.looseObject({ name: z.string().min(1), lr: z.number().positive().finite().optional() }).optional(),
  epochs: z.number().int().min(1).max(10_000_000).optional(),
  batch_size: z.union([z.number().int().min(1), z.literal('full')]).optional(),
  shuffle: z.boolean().optional(),
  seed: z.number().int().optional(),
  clip_grad_norm: z.number().positive().finite().nullable().optional(),
  clip_grad_value: z.number().positive().finite().nullable().optional(),
  lr_schedule: z
    .looseObject({ name: z.enum(['constant', 'step', 'exponential', 'cosine']) })
    .nullable()
    .optional(),
  regularization: z
    .strictObject({ l1: z.number().min(0).finite().optional(), l2: z.number().min(0).finite().optional(), entropy: z.number().min(0).finite().optional() })
    .nullable()
    .optional(),
  validation_split: z.number().min(0).max(0.9).optional(),
  test_split: z.number().min(0).max(0.9).optional(),
  early_stopping: z.strictObject({ patience: z.number().int().min(1), min_delta: z.number().min(0).optional() }).nullable().optional(),
  init: z.string().optional(),
  dtype: z.enum(['float32', 'float64']).optional(),
});

const modelSchema = z.strictObject({
  format: z.literal('neurograph-model'),
  version: z.literal(1),
  nodes: z.array(z.looseObject({ id: z.string(), type: z.string(), in: z.array(z.string()).optional() })).min(1).max(500),
  outputs: z.array(z.string()).min(1).max(16),
  params: z.record(z.string(), z.record(z.string(), paramValue)).optional(),
  state: z.record(z.string(), z.record(z.string(), z.union([num, z.array(num)]))).optional(),
  training: trainingBlockSchema.optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
});

/**
 * Reads and fully validates model JSON v1: syntax (with line/column), shape of every field (with its
 * path), the graph (types, attributes, connections, cycles, widths), and the parameters (shape and
 * finiteness, naming node and parameter). Returns the model only if all of it holds.
 */
export function parseModelJson(text: string): ModelJson {
  return validateModelJson(parseJsonSafely(text, 'model file'));
}

export function validateModelJson(value: unknown): ModelJson {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const v = (value as Record<string, unknown>).version;
    if (typeof v === 'number' && v > 1) throw new NewerVersionError(v);
  }
  const parsed = modelSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = formatPath(issue.path);
    throw new ModelJsonError(`${path || 'model'}: ${issue.message}`, path || undefined);
  }
  const model = parsed.data as ModelJson;
  const analysis = analyzeGraph(model);
  const errors = analysis.issues.filter((i) => i.severity === 'error');
  if (errors.length) {
    const first = errors[0];
    const path = first.path ?? (first.nodeId ? `nodes[${model.nodes.findIndex((n) => n.id === first.nodeId)}]` : undefined);
    throw new ModelJsonError(errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; '), path);
  }
  try {
    compile(model);
  } catch (e) {
    if (e instanceof ParamError) throw new ModelJsonError(e.message, e.path);
    throw e;
  }
  return model;
}

/** A trained model as model JSON v1. */
export function toModelJson(graph: GraphSpec, model: Model, training?: TrainingBlock, meta?: Record<string, unknown>): ModelJson {
  const out: ModelJson = {
    format: 'neurograph-model',
    version: 1,
    nodes: graph.nodes,
    outputs: graph.outputs,
    params: model.paramsJson(),
    state: model.stateJson(),
  };
  if (training) out.training = training;
  if (meta) out.meta = meta;
  return out;
}

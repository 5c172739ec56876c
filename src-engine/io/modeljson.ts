import { z } from 'zod';
import { formatPath } from '../errors';
import { analyzeGraph, compile, ParamError, type Model } from '../graph';
import type { GraphSpec, ModelJson } from '../graph';
import { checkTraining, type TrainingBlock } from '../train';
import { ModelJsonError, NewerVersionError, parseJsonSafely } from './errors';

const num = z.number().refine(Number.isFinite, 'must be a finite number');
const paramValue = z.union([z.array(num), z.array(z.array(num))]);

const modelSchema = z.strictObject({
  format: z.literal('neurograph-model'),
  version: z.literal(1),
  nodes: z.array(z.looseObject({ id: z.string(), type: z.string(), in: z.array(z.string()).optional() })).min(1).max(500),
  outputs: z.array(z.string()).min(1).max(16),
  params: z.record(z.string(), z.record(z.string(), paramValue)).optional(),
  state: z.record(z.string(), z.record(z.string(), z.union([num, z.array(num)]))).optional(),
  // Checked whole by checkTraining below, so the message is the one every other path gives.
  training: z.record(z.string(), z.unknown()).optional(),
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
  if (model.training) {
    const issue = checkTraining(model.training)[0];
    if (issue) throw new ModelJsonError(`training.${issue.field}: ${issue.message}`, `training.${issue.field}`);
  }
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

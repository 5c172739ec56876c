/**
 * The training block — the one description of how a model trains, shared by model JSON, the api, the
 * CLI, the trainer, TrainingSession and the renderer. Three things live here and nowhere else:
 *  - `trainingBlockSchema`: the block's shape, every field with its type and range;
 *  - `checkTraining()`: the schema plus what needs the catalogs (known loss, the optimizer's own
 *    hyper-parameters, full-batch-only methods, LM's sum-of-squares loss, the entropy penalty, splits);
 *  - `withTrainingDefaults()`: the block with every default filled in (`TRAINING_DEFAULTS`).
 */
import { z } from 'zod';
import { formatPath, NeurographError } from '../errors';
import { INITIALIZERS, type InitName } from '../graph';
import { lossDef, LOSSES, PROBABILITY_LOSSES } from '../losses';
import { createOptimizer, OptimizerError, type OptimizerConfig } from '../optim';
import type { DType } from '../tensor';
import { HEALTH_DEFAULTS, type HealthSettings } from './health';

/** Thrown for a training setup that cannot run; `path` names the field (`training.optimizer.betas`). */
export class TrainingError extends NeurographError {
  constructor(message: string, path?: string) {
    super(message, 'invalid_training', path);
  }
  /** The field, kept for callers that read `field`. */
  get field(): string | undefined {
    return this.path;
  }
}

/** Largest epoch count a block may ask for. */
export const MAX_EPOCHS = 1_000_000;
/** Largest numeric batch size. */
export const MAX_BATCH = 10_000_000;
/** Most shards a data-parallel block may ask for (`workers`). */
export const MAX_WORKERS = 16;
/** A run whose final loss is below this counts as solved (the course's XOR exercise). */
export const SOLVED_LOSS = 0.05;
/** The optimizer of a block that names none. */
export const DEFAULT_OPTIMIZER = 'adam';

const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? `[${v.join(', ')}]` : String(v));

/** A number field: `what` says the allowed values, as in "a whole number ≥ 1". */
function numberField(what: string, ok: (v: number) => boolean) {
  const error = (iss: { input?: unknown }) => `must be ${what}, got ${show(iss.input)}`;
  return z.number({ error }).refine(ok, { error });
}

const whole = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  numberField(max === Number.MAX_SAFE_INTEGER ? `a whole number ≥ ${min}` : `a whole number from ${min} to ${max}`, (v) => Number.isInteger(v) && v >= min && v <= max);
const positive = () => numberField('a number > 0', (v) => v > 0);
const nonNegative = () => numberField('a number ≥ 0', (v) => v >= 0);
const fraction = () => numberField('a fraction in [0, 0.9]', (v) => v >= 0 && v <= 0.9);
const unit = () => numberField('in (0, 1]', (v) => v > 0 && v <= 1);

const scheduleSchema = z.discriminatedUnion(
  'name',
  [
    z.strictObject({ name: z.literal('constant') }),
    z.strictObject({ name: z.literal('step'), step_size: whole(1).optional(), gamma: unit().optional() }),
    z.strictObject({ name: z.literal('exponential'), gamma: unit().optional() }),
    z.strictObject({ name: z.literal('cosine'), T_max: whole(1).optional(), eta_min: nonNegative().optional() }),
  ],
  { error: (iss) => `must be one of constant, step, exponential, cosine, got ${show((iss.input as { name?: unknown } | undefined)?.name)}` },
);

const lossNames = () => Object.keys(LOSSES).join(', ');

/** The shape of a training block: every field, its type and its range. Hyper-parameters are the optimizer catalog's. */
export const trainingBlockSchema = z.strictObject({
  loss: z.string({ error: 'must be the name of a loss' }).refine((v) => lossDef(v) !== undefined, { error: (iss) => `must be one of ${lossNames()}, got ${show(iss.input)}` }),
  optimizer: z
    .looseObject({ name: z.string({ error: 'must be the name of an optimizer' }).min(1, 'must be the name of an optimizer'), lr: z.number().optional() })
    .optional(),
  epochs: whole(1, MAX_EPOCHS).optional(),
  batch_size: z.union([z.literal('full'), whole(1, MAX_BATCH)], { error: (iss) => `must be "full" or a whole number ≥ 1, got ${show(iss.input)}` }).optional(),
  shuffle: z.boolean({ error: 'must be true or false' }).optional(),
  seed: numberField('a whole number', (v) => Number.isSafeInteger(v)).optional(),
  clip_grad_norm: positive().nullable().optional(),
  clip_grad_value: positive().nullable().optional(),
  lr_schedule: scheduleSchema.nullable().optional(),
  regularization: z.strictObject({ l1: nonNegative().optional(), l2: nonNegative().optional(), entropy: nonNegative().optional() }).nullable().optional(),
  validation_split: fraction().optional(),
  test_split: fraction().optional(),
  early_stopping: z.strictObject({ patience: whole(1), min_delta: nonNegative().optional() }).nullable().optional(),
  init: z.enum(INITIALIZERS, { error: (iss) => `must be one of ${INITIALIZERS.join(', ')}, got ${show(iss.input)}` }).optional(),
  dtype: z.enum(['float32', 'float64'], { error: (iss) => `must be float32 or float64, got ${show(iss.input)}` }).optional(),
  /**
   * Data parallelism (train/parallel.ts): each batch cut into this many fixed shards, their gradients
   * computed on as many threads and summed in shard order, one optimizer step. The numbers depend on
   * the seed and this count only. 'auto' picks 2 for steps big enough to gain, else 1 (no BatchNorm).
   */
  workers: z.union([z.literal('auto'), whole(1, MAX_WORKERS)], { error: (iss) => `must be "auto" or a whole number from 1 to ${MAX_WORKERS}, got ${show(iss.input)}` }).optional(),
  /** Thresholds of the gradient-health flags (HEALTH_DEFAULTS documents each). */
  health: z
    .strictObject({
      vanishing_ratio: positive().optional(),
      patience: whole(1).optional(),
      exploding_norm: positive().optional(),
      exploding_growth: positive().optional(),
      dead_fraction: unit().optional(),
      saturated_fraction: unit().optional(),
      saturation_slope: unit().optional(),
      divergence_factor: positive().optional(),
      spike_factor: positive().optional(),
    })
    .optional(),
});

/** A training block as stored in model JSON and projects: every field but `loss` optional. */
export type TrainingBlock = z.infer<typeof trainingBlockSchema>;
export type ScheduleConfig = z.infer<typeof scheduleSchema>;

/** A block with every default filled in: what a session actually runs. */
export interface ResolvedTraining {
  loss: string;
  optimizer: OptimizerConfig;
  epochs: number;
  batch_size: number | 'full';
  shuffle: boolean;
  seed: number;
  clip_grad_norm: number | null;
  clip_grad_value: number | null;
  lr_schedule: ScheduleConfig | null;
  regularization: { l1: number; l2: number; entropy: number };
  validation_split: number;
  test_split: number;
  early_stopping: { patience: number; min_delta: number } | null;
  init: InitName;
  dtype: DType;
  workers: number | 'auto';
  health: HealthSettings;
}

/** Every default of a block, in one place. The optimizer's own hyper-parameters default in its catalog entry. */
export const TRAINING_DEFAULTS: Readonly<Omit<ResolvedTraining, 'loss' | 'optimizer'> & { loss: string; optimizer: { name: string } }> = Object.freeze({
  loss: 'mse',
  optimizer: { name: DEFAULT_OPTIMIZER },
  epochs: 100,
  batch_size: 'full',
  shuffle: true,
  seed: 1,
  clip_grad_norm: null,
  clip_grad_value: null,
  lr_schedule: null,
  regularization: { l1: 0, l2: 0, entropy: 0 },
  validation_split: 0,
  test_split: 0,
  early_stopping: null,
  init: 'default',
  dtype: 'float32',
  workers: 1,
  health: HEALTH_DEFAULTS,
});

/** The block with its defaults. Does not validate: call checkTraining (or parseTraining) first. */
export function withTrainingDefaults(t: Partial<TrainingBlock>): ResolvedTraining {
  const d = TRAINING_DEFAULTS;
  const reg = t.regularization ?? {};
  const es = t.early_stopping;
  return {
    loss: t.loss ?? d.loss,
    optimizer: { ...(t.optimizer ?? d.optimizer) } as OptimizerConfig,
    epochs: t.epochs ?? d.epochs,
    batch_size: t.batch_size ?? d.batch_size,
    shuffle: t.shuffle ?? d.shuffle,
    seed: t.seed ?? d.seed,
    clip_grad_norm: t.clip_grad_norm ?? null,
    clip_grad_value: t.clip_grad_value ?? null,
    lr_schedule: t.lr_schedule && t.lr_schedule.name !== 'constant' ? t.lr_schedule : null,
    regularization: { l1: reg.l1 ?? 0, l2: reg.l2 ?? 0, entropy: reg.entropy ?? 0 },
    validation_split: t.validation_split ?? d.validation_split,
    test_split: t.test_split ?? d.test_split,
    early_stopping: es ? { patience: es.patience, min_delta: es.min_delta ?? 0 } : null,
    init: t.init ?? d.init,
    dtype: t.dtype ?? d.dtype,
    workers: t.workers ?? d.workers,
    health: { ...HEALTH_DEFAULTS, ...(t.health ?? {}) },
  };
}

/** A problem with a training block: the field (its path in the block) and what is wrong, naming the field. */
export interface TrainingIssue {
  field: string;
  message: string;
}

/**
 * Every reason a training block cannot train, by field, without looking at the data: the schema's
 * types and ranges, then the catalogs' checks. The trainer refuses the first issue; the training
 * panel shows them all next to their fields. An empty list means the block trains.
 */
export function checkTraining(block: unknown): TrainingIssue[] {
  const issues: TrainingIssue[] = [];
  let fields = block;
  const parsed = trainingBlockSchema.safeParse(block);
  if (!parsed.success) {
    const bad = new Set<PropertyKey>();
    for (const iss of parsed.error.issues) {
      if (iss.code === 'unrecognized_keys') {
        for (const k of iss.keys) issues.push({ field: k, message: `unknown field ${k} in the training block` });
        iss.keys.forEach((k) => bad.add(k));
        continue;
      }
      const field = formatPath(iss.path) || 'training';
      issues.push({ field, message: `${field} ${iss.message}` });
      if (iss.path.length) bad.add(iss.path[0]);
    }
    // The catalogs' checks still run on the fields that passed, so the panel shows every problem at once.
    if (typeof block !== 'object' || block === null || bad.has('loss')) return issues;
    fields = Object.fromEntries(Object.entries(block).filter(([k]) => !bad.has(k)));
    if (!trainingBlockSchema.safeParse(fields).success) return issues;
  }
  const t = withTrainingDefaults(fields as TrainingBlock);
  const add = (field: string, message: string) => {
    if (!issues.some((i) => i.field === field)) issues.push({ field, message });
  };
  const loss = lossDef(t.loss)!;
  try {
    const opt = createOptimizer(t.optimizer, 1);
    if (opt.fullBatchOnly && t.batch_size !== 'full') {
      add('batch_size', `${opt.name} works on the full batch only (it uses line searches or second-order information); set batch_size to "full"`);
    }
    if (opt.name === 'levenberg_marquardt' && !loss.sumOfSquares) {
      add('loss', `levenberg_marquardt needs a sum-of-squares loss (mse) for its Jacobian, got ${t.loss}`);
    }
    if (opt.name === 'levenberg_marquardt' && typeof t.workers === 'number' && t.workers > 1) {
      add('workers', `levenberg_marquardt builds its Jacobian one residual at a time on one thread; set workers to 1 (or "auto")`);
    }
  } catch (e) {
    if (!(e instanceof OptimizerError)) throw e;
    add(e.path ?? 'optimizer', e.message);
  }
  if (t.regularization.entropy > 0 && loss.probabilities === null) {
    add('regularization.entropy', `the entropy penalty needs class probabilities (loss ${PROBABILITY_LOSSES.join(', ')}), got ${t.loss}`);
  }
  if (t.validation_split + t.test_split >= 1) {
    add('test_split', `validation_split + test_split must be below 1, got ${t.validation_split} + ${t.test_split}`);
  }
  return issues;
}

/** The block checked and resolved; throws TrainingError naming the first bad field (`training.<field>`). */
export function parseTraining(block: unknown): ResolvedTraining {
  const issue = checkTraining(block)[0];
  if (issue) throw new TrainingError(issue.message, `training.${issue.field}`);
  return withTrainingDefaults(block as TrainingBlock);
}

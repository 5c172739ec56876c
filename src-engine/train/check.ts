import type { TrainingBlock } from '../graph/types';
import { LOSSES } from '../losses';
import { createOptimizer } from '../optim';
import { OptimizerError } from '../optim/types';
import { ENTROPY_LOSSES } from './objective';
import { checkSchedule, type ScheduleConfig } from './schedule';

/** A problem with a training block: the field (its path in the block) and what is wrong. */
export interface TrainingIssue {
  field: string;
  message: string;
}

const isPos = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0;
const isNonNeg = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isWhole = (v: unknown, min: number) => typeof v === 'number' && Number.isInteger(v) && v >= min;
const has = (table: object, key: string) => Object.prototype.hasOwnProperty.call(table, key);

/**
 * Everything about a training block that can be checked without the data: the loss, the optimizer
 * and its hyper-parameters (built once to let it validate them), full-batch-only methods, LM's
 * sum-of-squares loss, epochs, batch size, seed, schedule, clipping, regularizers, splits and early
 * stopping. The trainer refuses the first issue; the training panel shows them all, by field.
 */
export function checkTraining(t: TrainingBlock): TrainingIssue[] {
  const issues: TrainingIssue[] = [];
  const add = (field: string, message: string) => issues.push({ field, message });
  const loss = has(LOSSES, t.loss) ? LOSSES[t.loss] : undefined;
  if (!loss) add('loss', `unknown loss '${t.loss}' (known: ${Object.keys(LOSSES).join(', ')})`);
  const cfg = t.optimizer ?? { name: 'sgd', lr: 0.01 };
  try {
    const opt = createOptimizer(cfg, 1);
    if (opt.fullBatchOnly && t.batch_size !== undefined && t.batch_size !== 'full') {
      add('batch_size', `${cfg.name} works on the full batch only (it uses line searches or second-order information); set batch size to "full"`);
    }
    if (opt.name === 'levenberg_marquardt' && loss && !loss.sumOfSquares) {
      add('loss', `levenberg_marquardt needs a sum-of-squares loss (mse) for its Jacobian, got ${t.loss}`);
    }
  } catch (e) {
    if (e instanceof OptimizerError) add(e.param ? `optimizer.${e.param}` : 'optimizer', e.message);
    else add('optimizer', (e as Error).message);
  }
  if (t.epochs !== undefined && !isWhole(t.epochs, 1)) add('epochs', `epochs must be a whole number ≥ 1, got ${t.epochs}`);
  const bs = t.batch_size;
  if (bs !== undefined && bs !== 'full' && !isWhole(bs, 1)) add('batch_size', `batch_size must be 'full' or a whole number ≥ 1, got ${bs}`);
  if (t.seed !== undefined && !Number.isInteger(t.seed)) add('seed', `seed must be a whole number, got ${t.seed}`);
  const sched = checkSchedule(t.lr_schedule as ScheduleConfig | null | undefined);
  if (sched) add('lr_schedule', sched);
  for (const k of ['clip_grad_norm', 'clip_grad_value'] as const) {
    if (t[k] != null && !isPos(t[k])) add(k, `${k} must be a positive number or null, got ${t[k]}`);
  }
  const reg = t.regularization ?? {};
  for (const k of ['l1', 'l2', 'entropy'] as const) {
    if (reg[k] != null && !isNonNeg(reg[k])) add(`regularization.${k}`, `regularization.${k} must be ≥ 0, got ${reg[k]}`);
  }
  if (isPos(reg.entropy) && !ENTROPY_LOSSES.includes(t.loss)) {
    add('regularization.entropy', `the entropy penalty needs class probabilities (loss ${ENTROPY_LOSSES.join(', ')}), got ${t.loss}`);
  }
  const vs = t.validation_split ?? 0;
  const ts = t.test_split ?? 0;
  if (!(isNonNeg(vs) && vs <= 0.9)) add('validation_split', `validation_split must be in [0, 0.9], got ${vs}`);
  else if (!(isNonNeg(ts) && ts <= 0.9 && vs + ts < 1)) add('test_split', `validation_split + test_split must be below 1, got ${vs} + ${ts}`);
  const es = t.early_stopping;
  if (es) {
    if (!isWhole(es.patience, 1)) add('early_stopping.patience', `early_stopping.patience must be a whole number ≥ 1, got ${es.patience}`);
    if (es.min_delta != null && !isNonNeg(es.min_delta)) add('early_stopping.min_delta', `early_stopping.min_delta must be ≥ 0, got ${es.min_delta}`);
  }
  return issues;
}

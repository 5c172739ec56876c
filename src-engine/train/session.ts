import { compile, type Model } from '../graph';
import type { ModelJson, TrainingBlock } from '../graph/types';
import { LOSSES } from '../losses';
import { createOptimizer } from '../optim';
import type { Optimizer } from '../optim/types';
import { fromRows, Rng, type Mat } from '../tensor';
import { GradientHealth, firstNonFinite, gradNorms } from './health';
import { accuracy, isClassification } from './metrics';
import { BatchObjective } from './objective';
import { checkTraining } from './check';
import { learningRate, type ScheduleConfig } from './schedule';
import type { DataTable, HealthFlag, MetricPoint } from './types';

/** Thrown for a training setup that cannot run; names the field. */
export class TrainingError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'TrainingError';
  }
}

export interface EpochResult {
  point: MetricPoint;
  flags: HealthFlag[];
  done: boolean;
  /** "diverged at epoch N, layer L" when the loss became NaN/Inf (last finite weights are kept). */
  diverged?: string;
  /** Why training ended early (early stopping). */
  stoppedEarly?: string;
}

function rowsOf(m: Mat, idx: Int32Array | number[], from: number, to: number, out?: Mat): Mat {
  const n = to - from;
  const c = m.cols;
  const res = out && out.data.length >= n * c ? { rows: n, cols: c, data: out.data.subarray(0, n * c) } : { rows: n, cols: c, data: new Float64Array(n * c) };
  for (let r = 0; r < n; r++) res.data.set(m.data.subarray(idx[from + r] * c, idx[from + r] * c + c), r * c);
  return res;
}

/**
 * One training run: splits, batches, optimizer, schedule, clipping, metrics and gradient health.
 * Call runEpoch() until it reports done; the caller owns the loop so it can yield between epochs.
 * Randomness: weights (if not given) from `seed`, then split, shuffling and dropout from forks of
 * one generator — the same seed gives the same run, bit for bit.
 */
export class TrainingSession {
  readonly model: Model;
  readonly optimizer: Optimizer;
  readonly epochs: number;
  readonly history: MetricPoint[] = [];
  readonly classification: boolean;
  epoch = 0;
  private stopped = false;
  private readonly train: { x: Mat; y: Mat };
  private readonly val: { x: Mat; y: Mat } | null;
  readonly test: { x: Mat; y: Mat } | null;
  private readonly objective: BatchObjective;
  private readonly shuffleRng: Rng;
  private readonly order: Int32Array;
  private readonly batchSize: number;
  private readonly health = new GradientHealth();
  private readonly lr0: number;
  private lastGood: Float64Array;
  private best: { loss: number; theta: Float64Array; epoch: number } | null = null;
  private sinceBest = 0;
  private bx: Mat | undefined;
  private by: Mat | undefined;

  constructor(
    readonly source: ModelJson,
    data: DataTable,
    readonly training: TrainingBlock,
  ) {
    const t = training;
    const issue = checkTraining(t)[0];
    if (issue) throw new TrainingError(issue.message, `training.${issue.field}`);
    const loss = LOSSES[t.loss];
    const seed = t.seed ?? 1;
    const rng = new Rng(seed);
    this.model = compile(source, { dtype: t.dtype ?? 'float32', seed, init: t.init });
    const n = data.x.length;
    if (n === 0) throw new TrainingError('the data set has no rows', 'data');
    if (data.y.length !== n) throw new TrainingError(`inputs have ${n} rows but targets have ${data.y.length}`, 'data');
    const inW = this.model.inputWidth;
    if (data.x[0].length !== inW) throw new TrainingError(`the data has ${data.x[0].length} input columns but the Input node has size ${inW}`, 'nodes.Input.size');
    const tw = loss.targetWidth(this.model.outputWidth);
    if (data.y[0].length !== tw) {
      throw new TrainingError(`loss ${t.loss} needs ${tw} target column(s) for an output of width ${this.model.outputWidth}, the data has ${data.y[0].length}`, 'training.loss');
    }
    for (let r = 0; r < n; r++) {
      for (const v of data.x[r]) if (!Number.isFinite(v)) throw new TrainingError(`input row ${r + 1} holds ${v}; clean NaN/Inf before training`, 'data');
      for (const v of data.y[r]) if (!Number.isFinite(v)) throw new TrainingError(`target row ${r + 1} holds ${v}; clean NaN/Inf before training`, 'data');
    }
    this.classification = data.task ? data.task === 'classification' : isClassification(t.loss, data.y);
    this.epochs = t.epochs ?? 100;

    // Split: a seeded permutation, validation and test taken from its end.
    const X = fromRows('float64', data.x);
    const Y = fromRows('float64', data.y);
    const splitRng = rng.fork();
    const perm = Int32Array.from({ length: n }, (_, i) => i);
    const vs = t.validation_split ?? 0;
    const ts = t.test_split ?? 0;
    if (vs > 0 || ts > 0) splitRng.shuffle(perm);
    const nTest = Math.round(n * ts);
    const nVal = Math.round(n * vs);
    const nTrain = n - nVal - nTest;
    if (nTrain < 1) throw new TrainingError('no rows left for training after the split', 'training.validation_split');
    this.train = { x: rowsOf(X, perm, 0, nTrain), y: rowsOf(Y, perm, 0, nTrain) };
    this.val = nVal > 0 ? { x: rowsOf(X, perm, nTrain, nTrain + nVal), y: rowsOf(Y, perm, nTrain, nTrain + nVal) } : null;
    this.test = nTest > 0 ? { x: rowsOf(X, perm, nTrain + nVal, n), y: rowsOf(Y, perm, nTrain + nVal, n) } : null;
    this.order = Int32Array.from({ length: nTrain }, (_, i) => i);
    this.shuffleRng = splitRng.fork();
    const bs = t.batch_size ?? 'full';
    this.batchSize = bs === 'full' ? nTrain : Math.min(bs, nTrain);

    const optCfg = t.optimizer ?? { name: 'sgd', lr: 0.01 };
    this.optimizer = createOptimizer(optCfg, this.model.theta.length);
    this.lr0 = this.optimizer.lr;
    const reg = t.regularization ?? null;
    this.objective = new BatchObjective(this.model, this.train.x, this.train.y, {
      loss,
      mode: { train: true, stochastic: true, rng: splitRng.fork() },
      regularization: reg,
      clipGradNorm: t.clip_grad_norm ?? null,
      clipGradValue: t.clip_grad_value ?? null,
    });
    this.lastGood = Float64Array.from(this.model.theta);
  }

  get done(): boolean {
    return this.stopped || this.epoch >= this.epochs;
  }

  /** Asks the run to end after the current epoch. */
  stop(): void {
    this.stopped = true;
  }

  /** One epoch: shuffled batches (unless full batch), one optimizer step each, then metrics. */
  runEpoch(): EpochResult {
    const t = this.training;
    const nTrain = this.train.x.rows;
    const full = this.batchSize >= nTrain;
    if (!full && t.shuffle !== false) this.shuffleRng.shuffle(this.order);
    this.optimizer.lr = learningRate(t.lr_schedule as ScheduleConfig | undefined, this.lr0, this.epoch, this.epochs);
    this.lastGood.set(this.model.theta);
    const stateBefore = this.model.snapshotState();
    let lossSum = 0;
    for (let from = 0; from < nTrain; from += this.batchSize) {
      const to = Math.min(nTrain, from + this.batchSize);
      if (full) this.objective.setBatch(this.train.x, this.train.y);
      else {
        this.bx = rowsOf(this.train.x, this.order, from, to, this.bx);
        this.by = rowsOf(this.train.y, this.order, from, to, this.by);
        this.objective.setBatch(this.bx, this.by);
      }
      this.objective.beginStep();
      this.optimizer.step(this.objective);
      lossSum += this.objective.stepDataLoss * (to - from);
      if (!Number.isFinite(this.objective.stepDataLoss)) break;
    }
    this.epoch++;
    const loss = lossSum / nTrain;
    const point: MetricPoint = { epoch: this.epoch, loss, lr: this.optimizer.lr };
    const norms = gradNorms(this.model);
    point.grad_norms = norms;
    const stats = this.optimizer.stats();
    if (Object.keys(stats).length) point.optimizer = stats;
    let thetaFinite = true;
    for (let i = 0; i < this.model.theta.length; i++) if (!Number.isFinite(this.model.theta[i])) thetaFinite = false;
    if (!Number.isFinite(loss) || !thetaFinite) {
      const layer = firstNonFinite(this.model) ?? 'unknown';
      this.model.theta.set(this.lastGood);
      this.model.restoreState(stateBefore);
      this.stopped = true;
      const diverged = `diverged at epoch ${this.epoch}, layer ${layer}`;
      const flags: HealthFlag[] = [{ kind: 'nan', node: layer, epoch: this.epoch, message: `loss became ${loss}: ${diverged}; the last finite weights are kept` }];
      this.history.push(point);
      return { point, flags, done: true, diverged };
    }
    const flags = this.health.check(norms, loss, this.epoch);
    this.evaluateSplits(point);
    this.history.push(point);
    const stoppedEarly = this.earlyStop(point);
    return { point, flags, done: this.done, stoppedEarly };
  }

  private evaluateSplits(point: MetricPoint): void {
    const loss = LOSSES[this.training.loss];
    const evalMode = { train: false, stochastic: false, rng: new Rng(0) };
    if (this.classification) {
      const pred = this.model.forward(this.train.x, evalMode);
      point.accuracy = accuracy(this.training.loss, pred, this.train.y);
    }
    if (this.val) {
      const pred = this.model.forward(this.val.x, evalMode);
      point.val_loss = loss.compute(pred, this.val.y, null);
      if (this.classification) point.val_accuracy = accuracy(this.training.loss, pred, this.val.y);
    }
  }

  private earlyStop(point: MetricPoint): string | undefined {
    const es = this.training.early_stopping;
    if (!es || point.val_loss === undefined) return undefined;
    const minDelta = es.min_delta ?? 0;
    if (!this.best || point.val_loss < this.best.loss - minDelta) {
      this.best = { loss: point.val_loss, theta: Float64Array.from(this.model.theta), epoch: point.epoch };
      this.sinceBest = 0;
      return undefined;
    }
    this.sinceBest++;
    if (this.sinceBest < es.patience) return undefined;
    this.model.theta.set(this.best.theta);
    this.stopped = true;
    return `early stopping: validation loss has not improved for ${es.patience} epochs; weights restored from epoch ${this.best.epoch}`;
  }

  /** Runs every remaining epoch synchronously (CLI, tests). */
  runAll(onEpoch?: (r: EpochResult) => void): EpochResult | null {
    let last: EpochResult | null = null;
    while (!this.done) {
      last = this.runEpoch();
      onEpoch?.(last);
      if (last.done) break;
    }
    return last;
  }

  /** Predictions in eval mode for rows of inputs. */
  predict(x: number[][]): number[][] {
    return predictRows(this.model, x);
  }

  /** The trained model as model JSON v1 (params and state filled, training block kept). */
  exportModel(): ModelJson {
    const { params: _p, state: _s, ...rest } = this.source;
    return { ...rest, format: 'neurograph-model', version: 1, params: this.model.paramsJson(), state: this.model.stateJson(), training: this.training };
  }
}

/** Rows through a model in eval mode. */
export function predictRows(model: Model, x: number[][]): number[][] {
  const X = fromRows(model.dtype, x);
  const out = model.forward(X, { train: false, stochastic: false, rng: new Rng(0) });
  const rows: number[][] = [];
  for (let r = 0; r < out.rows; r++) rows.push(Array.from(out.data.subarray(r * out.cols, (r + 1) * out.cols)));
  return rows;
}

import { assertFinite, splitIndices } from '../data';
import { analyzeGraph, compile, type Model } from '../graph';
import type { ModelJson } from '../graph';
import type { LossDef } from '../layers';
import { lossDef } from '../losses';
import { createOptimizer, type Optimizer } from '../optim';
import { fromRows, Rng, type Mat } from '../tensor';
import { parseTraining, TrainingError, type ResolvedTraining, type TrainingBlock } from './block';
import { activationStats, firstNonFinite, GradientHealth, gradNorms, updateRatios, weightNorms } from './health';
import { BatchObjective } from './objective';
import { learningRate } from './schedule';
import { accuracy, classEncoding, encodeClasses, inferEncoding, looksLikeClasses, type TargetEncoding } from './targets';
import type { DataTable, HealthFlag, MetricPoint } from './types';

/** Rows of the training split on which dead and saturated units are counted each epoch. */
const STATS_ROWS = 1024;

export interface EpochResult {
  point: MetricPoint;
  flags: HealthFlag[];
  done: boolean;
  /** "diverged at epoch N, layer L" when the loss became NaN/Inf (last finite weights are kept). */
  diverged?: string;
  /** Why training ended early (early stopping), with the epoch whose weights were restored. */
  stoppedEarly?: string;
}

/** A run made ready: the checked block with its defaults, and the data in the form the loss expects. */
export interface PreparedRun {
  training: ResolvedTraining;
  loss: LossDef;
  x: number[][];
  /** Targets as the loss takes them (class data encoded for this loss and output layer). */
  y: number[][];
  classification: boolean;
  encoding: TargetEncoding;
}

/**
 * Everything about a run that can be checked before any weight is allocated: the training block
 * (checkTraining), the data against the graph (rows, input width, finiteness) and the targets against
 * the loss, encoded once here for every caller. Throws TrainingError or DatasetError naming the field.
 * The api calls it before it records a run, so a run that cannot train never gets a row.
 */
export function prepareRun(source: ModelJson, data: DataTable, block: TrainingBlock): PreparedRun {
  const training = parseTraining(block);
  const loss = lossDef(training.loss)!;
  const analysis = analyzeGraph(source);
  const graphError = analysis.issues.find((i) => i.severity === 'error');
  if (graphError) throw new TrainingError(graphError.message, graphError.path ?? graphError.nodeId);
  const n = data.x.length;
  if (n === 0) throw new TrainingError('the data set has no rows', 'data');
  if (data.y.length !== n) throw new TrainingError(`inputs have ${n} rows but targets have ${data.y.length}`, 'data');
  const inW = analysis.widths[analysis.inputId!];
  if (data.x[0].length !== inW) throw new TrainingError(`the data has ${data.x[0].length} input columns but the Input node has size ${inW}`, `nodes.${analysis.inputId}.size`);
  assertFinite(data);
  const outId = source.outputs[0];
  const outW = analysis.widths[outId];
  const outType = source.nodes.find((nd) => nd.id === outId)?.type ?? '';
  const classification = data.task ? data.task === 'classification' : looksLikeClasses(loss, data.y);
  let y = data.y;
  let encoding: TargetEncoding = { kind: 'real' };
  if (data.task === 'classification') {
    encoding = classEncoding(loss, outW, outType);
    const classes = data.y[0].length > 1 ? data.y[0].length : 1 + Math.max(...data.y.map((r) => r[0]));
    if (encoding.kind !== 'binary' && classes > outW) {
      throw new TrainingError(`the data has ${classes} classes but the output ${outId} has ${outW} unit${outW === 1 ? '' : 's'}; give it ${classes}`, `nodes.${outId}`);
    }
    if (encoding.kind === 'binary' && classes > 2) {
      throw new TrainingError(`the data has ${classes} classes but the output ${outId} has one unit; give it ${classes} units (and a loss such as cross_entropy)`, `nodes.${outId}`);
    }
    y = encodeClasses(data.y, encoding, outW);
  } else if (classification) encoding = inferEncoding(loss, data.y);
  const tw = loss.targetWidth(outW);
  if (y[0].length !== tw) {
    throw new TrainingError(`loss ${training.loss} needs ${tw} target column(s) for an output of width ${outW}, the data has ${y[0].length}`, 'training.loss');
  }
  return { training, loss, x: data.x, y, classification, encoding };
}

/** The model with the weights a run starts from: its own `params`, else the seeded initializer (seed, init, dtype of the block). */
export function initialModel(source: ModelJson, block: TrainingBlock): ModelJson {
  if (source.params) return source;
  const t = parseTraining(block);
  return { ...source, params: compile(source, { dtype: t.dtype, seed: t.seed, init: t.init }).paramsJson() };
}

/** Rows idx[from…to) of m, copied into `out` when it has that many rows already (a batch: no allocation). */
function rowsOf(m: Mat, idx: ArrayLike<number>, from: number, to: number, out?: Mat): Mat {
  const n = to - from;
  const c = m.cols;
  const res = out && out.rows === n ? out : { rows: n, cols: c, data: new Float64Array(n * c) };
  const src = m.data;
  const dst = res.data;
  for (let r = 0; r < n; r++) {
    const s = idx[from + r] * c;
    const d = r * c;
    for (let j = 0; j < c; j++) dst[d + j] = src[s + j];
  }
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
  /** The block as it runs, every default filled in. */
  readonly training: ResolvedTraining;
  epoch = 0;
  private stopped = false;
  private readonly loss: LossDef;
  private readonly encoding: TargetEncoding;
  private readonly train: { x: Mat; y: Mat };
  private readonly val: { x: Mat; y: Mat } | null;
  readonly test: { x: Mat; y: Mat } | null;
  private readonly objective: BatchObjective;
  private readonly shuffleRng: Rng;
  private readonly order: Int32Array;
  private readonly batchSize: number;
  private readonly health: GradientHealth;
  private lr0: number;
  /** A learning rate set by hand, to mark on the next epoch's point. */
  private lrSet: number | null = null;
  /** Seconds spent in runEpoch so far (pauses between epochs are not training time). */
  private elapsed = 0;
  private readonly statsX: Mat;
  private readonly lastGood: Float64Array;
  private readonly evalMode = { train: false, stochastic: false, rng: new Rng(0) };
  private best: { loss: number; theta: Float64Array; epoch: number } | null = null;
  private sinceBest = 0;
  private bx: Mat | undefined;
  private by: Mat | undefined;

  constructor(
    readonly source: ModelJson,
    data: DataTable,
    /** The block as given (what the trained model carries); `training` is it with its defaults. */
    readonly block: TrainingBlock,
  ) {
    const prepared = prepareRun(source, data, block);
    const t = prepared.training;
    this.training = t;
    this.loss = prepared.loss;
    this.encoding = prepared.encoding;
    this.classification = prepared.classification;
    this.epochs = t.epochs;
    const rng = new Rng(t.seed);
    this.model = compile(source, { dtype: t.dtype, seed: t.seed, init: t.init });

    // Split: a seeded permutation, validation and test taken from its end.
    const X = fromRows('float64', prepared.x);
    const Y = fromRows('float64', prepared.y);
    const splitRng = rng.fork();
    const split = splitIndices(X.rows, t.validation_split, t.test_split, splitRng);
    if (split.train.length < 1) throw new TrainingError('no rows left for training after the split', 'training.validation_split');
    const take = (idx: Int32Array) => ({ x: rowsOf(X, idx, 0, idx.length), y: rowsOf(Y, idx, 0, idx.length) });
    this.train = take(split.train);
    this.val = split.validation.length > 0 ? take(split.validation) : null;
    this.test = split.test.length > 0 ? take(split.test) : null;
    const nTrain = split.train.length;
    this.order = Int32Array.from({ length: nTrain }, (_, i) => i);
    this.shuffleRng = splitRng.fork();
    this.batchSize = t.batch_size === 'full' ? nTrain : Math.min(t.batch_size, nTrain);

    this.optimizer = createOptimizer(t.optimizer, this.model.theta.length);
    this.lr0 = this.optimizer.lr;
    const reg = t.regularization;
    this.objective = new BatchObjective(this.model, this.train.x, this.train.y, {
      loss: this.loss,
      mode: { train: true, stochastic: true, rng: splitRng.fork() },
      regularization: reg.l1 || reg.l2 || reg.entropy ? reg : null,
      clipGradNorm: t.clip_grad_norm,
      clipGradValue: t.clip_grad_value,
    });
    this.lastGood = Float64Array.from(this.model.theta);
    const layers = [...new Set(this.model.params.map((p) => p.node))];
    const activations = this.model.nodes.filter((n) => n.def.family === 'activation').map((n) => n.type);
    this.health = new GradientHealth({ layers, activations, optimizer: this.optimizer.name, lr: this.lr0 }, t.health);
    this.statsX = nTrain <= STATS_ROWS ? this.train.x : rowsOf(this.train.x, this.order, 0, STATS_ROWS);
  }

  /** The base learning rate from the next epoch on (a schedule keeps scaling it); marked on that epoch's point. */
  setLearningRate(lr: number): void {
    this.lr0 = lr;
    this.lrSet = lr;
  }

  get done(): boolean {
    return this.stopped || this.epoch >= this.epochs;
  }

  /** Asks the run to end after the current epoch. */
  stop(): void {
    this.stopped = true;
  }

  /**
   * One epoch: shuffled batches (unless full batch), one optimizer step each, then metrics and health.
   * `interrupted` is asked between batches; when it says yes the epoch is abandoned (null is returned,
   * the weights stay as the steps so far left them) — so a Stop lands within one step, not one epoch.
   */
  runEpoch(): EpochResult;
  runEpoch(interrupted: () => boolean): EpochResult | null;
  runEpoch(interrupted?: () => boolean): EpochResult | null {
    const started = performance.now();
    const t = this.training;
    const nTrain = this.train.x.rows;
    const full = this.batchSize >= nTrain;
    if (!full && t.shuffle) this.shuffleRng.shuffle(this.order);
    this.optimizer.lr = learningRate(t.lr_schedule, this.lr0, this.epoch, this.epochs);
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
      if (interrupted?.()) {
        this.elapsed += (performance.now() - started) / 1000;
        return null;
      }
      this.objective.beginStep();
      this.optimizer.step(this.objective);
      lossSum += this.objective.stepDataLoss * (to - from);
      if (!Number.isFinite(this.objective.stepDataLoss)) break;
    }
    this.epoch++;
    const loss = lossSum / nTrain;
    const point: MetricPoint = { epoch: this.epoch, loss, lr: this.optimizer.lr, evals: this.objective.evaluations };
    if (this.lrSet !== null) {
      point.lr_set = this.lrSet;
      this.lrSet = null;
    }
    const norms = gradNorms(this.model);
    point.grad_norms = norms;
    point.weight_norms = weightNorms(this.model);
    point.update_ratios = updateRatios(this.model, this.lastGood);
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
      point.health = { [layer]: ['nan'] };
      this.finishPoint(point, started);
      return { point, flags, done: true, diverged };
    }
    // A loss grown by orders of magnitude is divergence too: stop, keep the weights from before this epoch.
    const grown = this.health.divergence(loss);
    if (grown) {
      this.model.theta.set(this.lastGood);
      this.model.restoreState(stateBefore);
      this.stopped = true;
      const worst = Object.entries(norms).sort((a, b) => b[1] - a[1])[0]?.[0] ?? this.model.outputId;
      const diverged = `diverged at epoch ${this.epoch}, layer ${worst}: ${grown}`;
      point.health = { [worst]: ['exploding'] };
      this.finishPoint(point, started);
      return { point, flags: [{ kind: 'exploding', node: worst, epoch: this.epoch, message: `${diverged}; the weights from before this epoch are kept` }], done: true, diverged };
    }
    this.evaluateSplits(point);
    const { flags, active } = this.health.check({ epoch: this.epoch, loss, grad: norms, dead: point.dead ?? {}, saturated: point.saturated ?? {} });
    if (Object.keys(active).length) point.health = active;
    this.finishPoint(point, started);
    const stoppedEarly = this.earlyStop(point);
    return { point, flags, done: this.done, stoppedEarly };
  }

  private finishPoint(point: MetricPoint, started: number): void {
    this.elapsed += (performance.now() - started) / 1000;
    point.t = this.elapsed;
    this.history.push(point);
  }

  /** Accuracy and validation loss in eval mode, and the dead/saturated units of the activation layers. */
  private evaluateSplits(point: MetricPoint): void {
    const slope = this.training.health.saturation_slope;
    const whole = this.statsX === this.train.x;
    if (this.classification) {
      const pred = this.model.forward(this.train.x, this.evalMode);
      point.accuracy = accuracy(this.loss, this.encoding, pred, this.train.y);
    }
    if (!(this.classification && whole)) this.model.forward(this.statsX, this.evalMode);
    const { dead, saturated } = activationStats(this.model, slope);
    if (Object.keys(dead).length) point.dead = dead;
    if (Object.keys(saturated).length) point.saturated = saturated;
    if (this.val) {
      const pred = this.model.forward(this.val.x, this.evalMode);
      point.val_loss = this.loss.compute(pred, this.val.y, null);
      if (this.classification) point.val_accuracy = accuracy(this.loss, this.encoding, pred, this.val.y);
    }
  }

  /**
   * Early stopping (Keras' EarlyStopping with restore_best_weights): watches the validation loss when
   * there is a validation split, else the training loss; after `patience` epochs without an
   * improvement of more than min_delta, restores the weights of the best epoch and stops.
   */
  private earlyStop(point: MetricPoint): string | undefined {
    const es = this.training.early_stopping;
    if (!es) return undefined;
    const watched = this.val ? 'validation' : 'training';
    const value = this.val ? point.val_loss! : point.loss;
    if (!this.best || value < this.best.loss - es.min_delta) {
      this.best = { loss: value, theta: Float64Array.from(this.model.theta), epoch: point.epoch };
      this.sinceBest = 0;
      return undefined;
    }
    this.sinceBest++;
    if (this.sinceBest < es.patience) return undefined;
    this.model.theta.set(this.best.theta);
    this.stopped = true;
    return `stopped early at epoch ${point.epoch}: the ${watched} loss has not improved for ${es.patience} epoch${es.patience === 1 ? '' : 's'}; weights restored from epoch ${this.best.epoch}`;
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

  /** The trained model as model JSON v1 (params and state filled, the training block as given). */
  exportModel(): ModelJson {
    const { params: _p, state: _s, ...rest } = this.source;
    return { ...rest, format: 'neurograph-model', version: 1, params: this.model.paramsJson(), state: this.model.stateJson(), training: this.block };
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

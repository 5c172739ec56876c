import { assertFinite, splitIndices, type SplitIndices } from '../data';
import { analyzeGraph, compile, type Model } from '../graph';
import type { ModelJson } from '../graph';
import type { LossDef } from '../layers';
import { lossDef } from '../losses';
import { createOptimizer, type Optimizer } from '../optim';
import { alloc, fromRows, Rng, type DType, type Mat } from '../tensor';
import { parseTraining, TrainingError, withTrainingDefaults, type ResolvedTraining, type TrainingBlock } from './block';
import { activationStats, firstNonFinite, GradientHealth, updateRatios, weightNorms } from './health';
import { BatchObjective } from './objective';
import { EVAL_ROWS, measureRows, rowSlice } from './measure';
import { LocalShards, resolveWorkers } from './parallel';
import { shardStart, type ShardPeers, type ShardPeersFactory } from './shards';
import { learningRate } from './schedule';
import { accuracy, classEncoding, encodeClasses, inferEncoding, looksLikeClasses, type TargetEncoding } from './targets';
import type { DataTable, HealthFlag, MetricPoint } from './types';

/**
 * Rows of the training split on which dead and saturated units are counted each epoch: as many as
 * an evaluation pass takes at a time, so the first chunk of the accuracy pass is these rows.
 */
const STATS_ROWS = EVAL_ROWS;

/** How a host runs a session: where the shards of a data-parallel block compute (default: on this thread, one after another). */
export interface SessionOptions {
  shards?: ShardPeersFactory;
}

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

/**
 * The rows a block trains on, validates on and holds out for test: the seeded split TrainingSession
 * makes (the UI draws train and test points with it). `rng` is the generator the session goes on with.
 */
export function splitOf(rows: number, block: TrainingBlock): { split: SplitIndices; rng: Rng } {
  const t = withTrainingDefaults(block);
  const rng = new Rng(t.seed).fork();
  return { split: splitIndices(rows, t.validation_split, t.test_split, rng), rng };
}

/** The model with the weights a run starts from: its own `params`, else the seeded initializer (seed, init, dtype of the block). */
export function initialModel(source: ModelJson, block: TrainingBlock): ModelJson {
  if (source.params) return source;
  const t = parseTraining(block);
  return { ...source, params: compile(source, { dtype: t.dtype, seed: t.seed, init: t.init }).paramsJson() };
}

/** Rows idx of a table as a matrix of `dtype` (inputs in the model's dtype: the values its Input node would round them to). */
function tableRows(dtype: DType, table: number[][], idx: Int32Array): Mat {
  const c = table[0]?.length ?? 0;
  const data = alloc(dtype, idx.length * c);
  for (let r = 0; r < idx.length; r++) {
    const row = table[idx[r]];
    const d = r * c;
    for (let j = 0; j < c; j++) data[d + j] = row[j];
  }
  return { rows: idx.length, cols: c, data };
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
  /** Per parameterised layer: Σ over the epoch's steps of ‖∂L/∂W‖², and which layer each parameter belongs to. */
  private readonly gradSq: Float64Array;
  private readonly layerOf: Int32Array;
  private readonly layers: string[];
  private readonly lastGood: Float64Array;
  private readonly evalMode = { train: false, stochastic: false, rng: new Rng(0) };
  private best: { loss: number; theta: Float64Array; epoch: number } | null = null;
  private sinceBest = 0;
  /** Shards per batch (the block's `workers`, 'auto' decided); 1 is the plain single-thread path. */
  readonly workers: number;
  private readonly peers: ShardPeers | null = null;

  constructor(
    readonly source: ModelJson,
    data: DataTable,
    /** The block as given (what the trained model carries); `training` is it with its defaults. */
    readonly block: TrainingBlock,
    options: SessionOptions = {},
  ) {
    const prepared = prepareRun(source, data, block);
    const t = prepared.training;
    this.training = t;
    this.loss = prepared.loss;
    this.encoding = prepared.encoding;
    this.classification = prepared.classification;
    this.epochs = t.epochs;
    this.model = compile(source, { dtype: t.dtype, seed: t.seed, init: t.init });

    // Split: a seeded permutation, validation and test taken from its end.
    const { split, rng: splitRng } = splitOf(prepared.x.length, t);
    if (split.train.length < 1) throw new TrainingError('no rows left for training after the split', 'training.validation_split');
    const take = (idx: Int32Array) => ({ x: tableRows(this.model.dtype, prepared.x, idx), y: tableRows('float64', prepared.y, idx) });
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
    const layers = [...new Set(this.model.params.map((p) => p.node))];
    this.layers = layers;
    this.layerOf = Int32Array.from(this.model.params.map((p) => layers.indexOf(p.node)));
    this.gradSq = new Float64Array(layers.length);
    this.workers = resolveWorkers(t, this.model, this.batchSize);
    if (this.workers > 1) {
      const plan = {
        spec: { model: source, dtype: this.model.dtype, loss: t.loss, entropy: reg.entropy, ...(this.classification ? { encoding: this.encoding } : {}) },
        shards: this.workers,
        x: this.train.x,
        y: this.train.y,
        maxRows: this.batchSize,
        size: this.model.theta.length,
      };
      this.peers = (options.shards ?? ((p) => new LocalShards(p)))(plan);
    }
    this.objective = new BatchObjective(this.model, this.train.x, this.train.y, {
      loss: this.loss,
      mode: { train: true, stochastic: true, rng: splitRng.fork() },
      regularization: reg.l1 || reg.l2 || reg.entropy ? reg : null,
      clipGradNorm: t.clip_grad_norm,
      clipGradValue: t.clip_grad_value,
      layerOf: this.layerOf,
      ...(this.peers ? { shards: { k: this.workers, peers: this.peers } } : {}),
    });
    this.lastGood = Float64Array.from(this.model.theta);
    const activations = this.model.nodes.filter((n) => n.def.family === 'activation').map((n) => n.type);
    this.health = new GradientHealth({ layers, activations, output: this.model.outputId, optimizer: this.optimizer.name, lr: this.lr0 }, t.health);
    this.statsX = nTrain <= STATS_ROWS ? this.train.x : rowSlice(this.train.x, 0, STATS_ROWS);
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
    let steps = 0;
    this.gradSq.fill(0);
    for (let from = 0; from < nTrain; from += this.batchSize) {
      const to = Math.min(nTrain, from + this.batchSize);
      // Mini-batches (and every sharded batch) are gathered by the objective straight into the model.
      if (full && !this.peers) this.objective.setBatch(this.train.x, this.train.y);
      else this.objective.setRows(this.train, this.order, from, to);
      if (interrupted?.()) {
        this.elapsed += (performance.now() - started) / 1000;
        return null;
      }
      this.objective.beginStep();
      this.optimizer.step(this.objective);
      // This step's ‖∂L/∂W‖² per layer, measured in the objective's clipping pass.
      const sq = this.objective.layerSq;
      for (let i = 0; i < sq.length; i++) this.gradSq[i] += sq[i];
      steps++;
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
    // The RMS over the epoch's steps: one mini-batch's gradient alone is too noisy to read a trend from.
    const norms: Record<string, number> = {};
    this.layers.forEach((node, i) => (norms[node] = Math.sqrt(this.gradSq[i] / Math.max(1, steps))));
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

  /**
   * Accuracy over the training rows and validation/test loss at the epoch's final weights, in eval
   * mode, and the dead/saturated units of the activation layers (on the first STATS_ROWS training rows).
   */
  private evaluateSplits(point: MetricPoint): void {
    const slope = this.training.health.saturation_slope;
    let stats: ReturnType<typeof activationStats> | null = null;
    if (this.classification) {
      // The first chunk of the training rows is statsX: count the units on its activations.
      const units = () => (stats = activationStats(this.model, slope));
      const n = this.train.x.rows;
      // Data-parallel: the shards count hits on their parts too (whole numbers, so the sum is exact);
      // only from two chunks a shard on, so that shard 0's first chunk is still statsX.
      const k = this.peers && n >= this.workers * EVAL_ROWS ? this.workers : 1;
      if (k > 1) this.peers!.startHits(this.model.theta, n, k);
      let hits = measureRows(this.model, this.loss, this.encoding, this.train, 0, shardStart(n, k, 1), false, units).hits;
      if (k > 1) hits += this.peers!.finishHits();
      point.accuracy = hits / (n * this.model.outputWidth);
    }
    if (!stats) {
      this.model.forward(this.statsX, this.evalMode);
      stats = activationStats(this.model, slope);
    }
    const { dead, saturated } = stats;
    if (Object.keys(dead).length) point.dead = dead;
    if (Object.keys(saturated).length) point.saturated = saturated;
    if (this.val) {
      const m = this.measure(this.val, true);
      point.val_loss = m.loss;
      if (this.classification) point.val_accuracy = m.accuracy;
    }
    // Test loss every epoch, as the Playground plots it (the held-out rows never train).
    if (this.test) {
      const m = this.measure(this.test, true);
      point.test_loss = m.loss;
      if (this.classification) point.test_accuracy = m.accuracy;
    }
  }

  /** Mean loss and (classification) accuracy of the current weights over a split. */
  private measure(split: { x: Mat; y: Mat }, withLoss: boolean): { loss: number; accuracy: number } {
    const n = split.x.rows;
    const r = measureRows(this.model, this.loss, this.classification ? this.encoding : null, split, 0, n, withLoss);
    return { loss: n <= EVAL_ROWS ? r.loss : r.loss / n, accuracy: r.hits / (n * this.model.outputWidth) };
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

  /** Ends the run's data-parallel shards (their threads); the session trains no more after it. */
  close(): void {
    this.stopped = true;
    this.peers?.close();
  }

  /** Number of trainable parameters. */
  get paramCount(): number {
    return this.model.theta.length;
  }

  /** The current weights (and BatchNorm state), as model JSON keys them: what the UI paints live. */
  weights(): { params: ModelJson['params'] & object; state: ModelJson['state'] & object } {
    return { params: this.model.paramsJson(), state: this.model.stateJson() };
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

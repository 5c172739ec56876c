import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  applyScaling,
  checkTraining,
  compile,
  explain,
  exportOnnx,
  exportPytorch,
  importOnnx,
  ONNX_MAX_BYTES,
  NeurographError,
  parseModelJson,
  predictRows,
  readScaling,
  TrainingError,
  TrainingSession,
  type ModelJson,
  type TrainingBlock,
  DEFAULT_OPTIMIZER,
} from '../../src-engine';
import { loadData, readNumberCsv, readText } from './data';
import { CliError } from './errors';
import { runCompare } from './compare';
import { shardThreads } from '../trainer';
import { RunRecorder, type RecordTarget } from './record';
import { writeFileAtomic } from '../shared';

const USAGE = `neurograph <command> [options]

  train <model.json> (--input X.csv --target Y.csv | --data FILE.csv --target-column NAME [--missing drop|mean|zero] | --dataset NAME)
        [--optimizer NAME] [--lr X] [--epochs N] [--batch-size N|full] [--seed N] [--loss NAME] [--workers N|auto]
        [--db FILE --project NAME] --out trained.json [--json]
  compare <model.json> (data flags as train) --optimizers adam,sgd,rprop [--epochs N] [--lr X] --json
  predict <model.json> --data FILE.csv [--json]
  explain <model.json> --input X.csv --target Y.csv --loss NAME [--mode train|eval] [--dtype float32|float64] --json
  export <model.json> --to pytorch|onnx|json [--out FILE]      (onnx needs --out)
  import <model.onnx> [--out model.json] [--json]`;

const OPTIONS = {
  input: { type: 'string' },
  target: { type: 'string' },
  data: { type: 'string' },
  'target-column': { type: 'string' },
  missing: { type: 'string' },
  dataset: { type: 'string' },
  noise: { type: 'string' },
  points: { type: 'string' },
  optimizer: { type: 'string' },
  optimizers: { type: 'string' },
  lr: { type: 'string' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  seed: { type: 'string' },
  workers: { type: 'string' },
  loss: { type: 'string' },
  mode: { type: 'string' },
  dtype: { type: 'string' },
  db: { type: 'string' },
  project: { type: 'string' },
  out: { type: 'string' },
  to: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function num(v: string | undefined, flag: string, int = false): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || (int && !Number.isInteger(n))) throw new CliError(`${flag} must be ${int ? 'a whole number' : 'a number'}, got '${v}'`);
  return n;
}

function loadModel(file: string | undefined): ModelJson {
  if (!file) throw new CliError('give the model file: neurograph <command> model.json …');
  const text = readText(file, 'model');
  try {
    return parseModelJson(text);
  } catch (e) {
    if (e instanceof NeurographError) throw new CliError(`${file}: ${e.message}`, e.code, e.path);
    throw e;
  }
}

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

/**
 * The training block from the model, with command-line flags on top, checked whole before any data is
 * read (checkTraining: the same check as the api and the training panel). A bad field is refused by name.
 */
export function trainingFrom(model: ModelJson, v: Values): TrainingBlock {
  const t = { ...(model.training ?? { loss: 'mse' }) } as TrainingBlock;
  if (v.loss) t.loss = v.loss;
  if (v.optimizer) t.optimizer = { ...(t.optimizer?.name === v.optimizer ? t.optimizer : {}), name: v.optimizer };
  if (v.lr !== undefined) t.optimizer = { ...(t.optimizer ?? { name: DEFAULT_OPTIMIZER }), lr: num(v.lr, '--lr') };
  if (v.epochs !== undefined) t.epochs = num(v.epochs, '--epochs', true);
  if (v['batch-size'] !== undefined) t.batch_size = v['batch-size'] === 'full' ? 'full' : num(v['batch-size'], '--batch-size', true);
  if (v.seed !== undefined) t.seed = num(v.seed, '--seed', true);
  if (v.workers !== undefined) t.workers = v.workers === 'auto' ? 'auto' : num(v.workers, '--workers', true);
  const issue = checkTraining(t)[0];
  if (issue) throw new TrainingError(issue.message, `training.${issue.field}`);
  return t;
}

function progress(epoch: number, epochs: number, loss: number): void {
  if (!process.stderr.isTTY) return;
  const w = 30;
  const k = Math.round((epoch / epochs) * w);
  process.stderr.write(`\r[${'#'.repeat(k)}${'.'.repeat(w - k)}] epoch ${epoch}/${epochs}  loss ${loss.toPrecision(5)}   `);
  if (epoch === epochs) process.stderr.write('\n');
}

/** `--data FILE.csv` with `--db`: the table goes into the library with how it was read. */
function tableOf(v: Values, data: ReturnType<typeof loadData>): RecordTarget['table'] {
  if (!v.data) return undefined;
  return { file: v.data, csv: readText(v.data, '--data'), target: v['target-column']?.split(','), missing: v.missing, data };
}

async function train(file: string | undefined, v: Values): Promise<void> {
  const model = loadModel(file);
  if (!v.out) throw new CliError('give --out trained.json');
  const out = v.out;
  const training = trainingFrom(model, v);
  // Data-parallel helper threads start now, so that their start-up overlaps reading the data.
  const workers = training.workers ?? 1;
  const shards = shardThreads({ prestart: workers === 'auto' ? 1 : workers - 1 });
  const data = loadData({ ...v, seed: undefined });
  const session = new TrainingSession(model, data, training, { shards });
  shards.close();
  // With --db the run is recorded as it trains: created now, points in batches, ended in one transaction.
  const recorder = v.db ? new RunRecorder({ db: v.db, projectName: v.project ?? 'CLI runs', model, training, dataset: v.dataset, table: tableOf(v, data) }) : null;
  const flags: { kind: string; node: string; epoch: number }[] = [];
  const t0 = performance.now();
  let diverged: string | undefined;
  let early: string | undefined;
  let recordError: unknown = null;
  let seconds = 0;
  try {
    session.runAll((r) => {
      for (const f of r.flags) {
        flags.push({ kind: f.kind, node: f.node, epoch: f.epoch });
        if (!v.json) process.stderr.write(`\n${f.kind}: ${f.message}\n`);
      }
      diverged ??= r.diverged;
      early ??= r.stoppedEarly;
      if (!v.json) progress(r.point.epoch, session.epochs, r.point.loss);
      if (recorder && recordError === null) {
        try {
          recorder.epoch(r.point, r.flags);
        } catch (e) {
          // The library cannot keep the run (the disk is full, or it stayed busy): stop training now.
          recordError = e;
          session.stop();
        }
      }
    });
    seconds = (performance.now() - t0) / 1000;
    if (recordError !== null) {
      recorder?.fail((recordError as Error).message);
      throw recordError;
    }
    const trained = session.exportModel();
    try {
      writeFileAtomic(out, JSON.stringify(trained));
    } catch (e) {
      recorder?.fail((e as Error).message);
      throw e;
    }
    recorder?.finish({ status: diverged ? 'failed' : 'completed', reason: diverged ?? early ?? null, model: trained });
  } finally {
    recorder?.close();
    session.close();
  }
  const history = session.history.map((p) => ({ epoch: p.epoch, loss: p.loss, val_loss: p.val_loss ?? null, ...(p.accuracy !== undefined ? { accuracy: p.accuracy } : {}) }));
  const finalLoss = history.length ? history[history.length - 1].loss : null;
  const summary: Record<string, unknown> = { epochs: session.epoch, final_loss: finalLoss, history, flags, out: v.out, seconds, workers: session.workers };
  if (diverged) summary.diverged = diverged;
  if (early) summary.stopped_early = early;
  if (v.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else {
    if (diverged) process.stderr.write(`${diverged}; the last finite weights were saved\n`);
    if (early) process.stderr.write(`${early}\n`);
    process.stdout.write(`trained ${session.epoch} epochs in ${seconds.toFixed(2)} s, final loss ${finalLoss}; wrote ${v.out}\n`);
  }
}

function predict(file: string | undefined, v: Values): void {
  const model = loadModel(file);
  if (!v.data) throw new CliError('give --data FILE.csv');
  const rows = readNumberCsv(v.data, '--data');
  const compiled = compile(model, { dtype: v.dtype === 'float32' ? 'float32' : 'float64' });
  if (rows.length && rows[0].length !== compiled.inputWidth) {
    throw new CliError(`--data ${v.data} has ${rows[0].length} columns but the model's Input has size ${compiled.inputWidth}`);
  }
  // A model trained on scaled data takes raw rows, as its ONNX and PyTorch forms do (meta.scaling).
  const output = rows.length ? predictRows(compiled, applyScaling(readScaling(model, compiled.inputWidth), rows)) : [];
  if (v.json) process.stdout.write(`${JSON.stringify({ output })}\n`);
  else process.stdout.write(output.map((r) => r.join(',')).join('\n') + '\n');
}

function explainCmd(file: string | undefined, v: Values): void {
  const model = loadModel(file);
  if (!v.input || !v.target) throw new CliError('give --input X.csv and --target Y.csv');
  const loss = v.loss ?? model.training?.loss;
  if (!loss) throw new CliError('give --loss NAME');
  const mode = v.mode ?? 'train';
  if (mode !== 'train' && mode !== 'eval') throw new CliError(`--mode must be train or eval, got '${mode}'`);
  const x = readNumberCsv(v.input, '--input');
  const y = readNumberCsv(v.target, '--target');
  // Raw rows, scaled as the model was trained (meta.scaling): the Input's activations are the scaled values.
  const xIn = x.length ? applyScaling(readScaling(model, x[0].length), x) : x;
  const e = explain(model, xIn, y, loss, mode, v.dtype === 'float32' ? 'float32' : 'float64');
  const out = { output: e.output, loss: e.loss, activations: e.activations, grads: e.grads, state: e.state };
  if (v.json) process.stdout.write(`${JSON.stringify(out)}\n`);
  else process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

/** Never half a file under `out` (a temporary name, fsynced, renamed); a full disk says so. */
function writeExport(out: string, data: string | Uint8Array): void {
  writeFileAtomic(out, data);
}

function packageVersion(): string | undefined {
  try {
    return (JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

function exportCmd(file: string | undefined, v: Values): void {
  const model = loadModel(file);
  const to = v.to ?? 'json';
  let data: string | Uint8Array;
  if (to === 'json') data = JSON.stringify(model, null, 1);
  else if (to === 'pytorch') data = exportPytorch(model);
  else if (to === 'onnx') {
    if (!v.out) throw new CliError('--to onnx writes a binary file: give --out model.onnx');
    data = exportOnnx(model, { producerVersion: packageVersion() });
  } else throw new CliError(`--to must be pytorch, onnx or json, got '${to}'`);
  if (v.out) writeExport(v.out, data);
  else process.stdout.write(data);
  if (v.out && v.json) process.stdout.write(`${JSON.stringify({ out: v.out, to, bytes: typeof data === 'string' ? Buffer.byteLength(data) : data.length })}\n`);
}

/** `import model.onnx`: the ONNX graph as model JSON v1 (weights, BatchNorm state, input scaling). */
function importCmd(file: string | undefined, v: Values): void {
  if (!file) throw new CliError('give the ONNX file: neurograph import model.onnx --out model.json');
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new CliError(`cannot read ${file} (no such file)`);
  }
  if (size > ONNX_MAX_BYTES) throw new CliError(`${file} is ${(size / 1e6).toFixed(0)} MB; the limit is ${ONNX_MAX_BYTES / 1024 / 1024} MB`, 'invalid_model');
  let model: ModelJson;
  try {
    model = importOnnx(new Uint8Array(readFileSync(file)));
  } catch (e) {
    if (e instanceof NeurographError) throw new CliError(`${file}: ${e.message}`, e.code, e.path);
    throw e;
  }
  const text = JSON.stringify(model, null, 1);
  if (!v.out) return void process.stdout.write(`${text}\n`);
  writeExport(v.out, text);
  const summary = { out: v.out, nodes: model.nodes.length, types: [...new Set(model.nodes.map((n) => n.type))], outputs: model.outputs, scaling: (model.meta?.scaling as { kind?: string } | undefined)?.kind ?? null };
  if (v.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else process.stdout.write(`imported ${summary.nodes} nodes (${summary.types.join(', ')}) from ${file}; wrote ${v.out}\n`);
}

/** Runs one command; returns the exit code. Errors are one clear line on stderr, never a stack trace. */
export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    process.stderr.write(`neurograph: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values: v, positionals } = parsed;
  const [command, file] = positionals;
  if (v.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return command || v.help ? 0 : 2;
  }
  try {
    switch (command) {
      case 'train':
        await train(file, v);
        break;
      case 'compare': {
        const model = loadModel(file);
        if (!v.optimizers) throw new CliError('give --optimizers adam,sgd,…');
        const base = trainingFrom(model, { ...v, optimizer: undefined, lr: undefined });
        const data = loadData({ ...v, seed: undefined });
        const result = await runCompare(model, data, base, v.optimizers.split(',').map((s) => s.trim()).filter(Boolean), num(v.lr, '--lr'));
        process.stdout.write(v.json ? `${JSON.stringify(result)}\n` : `${JSON.stringify(result, null, 2)}\n`);
        break;
      }
      case 'predict':
        predict(file, v);
        break;
      case 'explain':
        explainCmd(file, v);
        break;
      case 'export':
        exportCmd(file, v);
        break;
      case 'import':
        importCmd(file, v);
        break;
      default:
        throw new CliError(`unknown command '${command}'\n${USAGE}`);
    }
    return 0;
  } catch (e) {
    const known = e instanceof NeurographError;
    const msg = (e as Error).message ?? String(e);
    if (v.json) process.stdout.write(`${JSON.stringify({ error: msg, code: known ? e.code : 'failed', ...(known && e.path ? { path: e.path } : {}) })}\n`);
    process.stderr.write(`neurograph ${command}: ${known && e.path ? `${e.path}: ` : ''}${msg}\n`);
    if (!known && process.env.NEUROGRAPH_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    return known ? 2 : 1;
  }
}

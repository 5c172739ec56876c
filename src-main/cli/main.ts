import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  checkTraining,
  compile,
  explain,
  exportPytorch,
  NeurographError,
  parseModelJson,
  predictRows,
  TrainingError,
  TrainingSession,
  type ModelJson,
  type TrainingBlock,
  DEFAULT_OPTIMIZER,
} from '../../src-engine';
import { loadData, readNumberCsv, readText } from './data';
import { CliError } from './errors';
import { runCompare } from './compare';
import { recordRun } from './record';

const USAGE = `neurograph <command> [options]

  train <model.json> (--input X.csv --target Y.csv | --data FILE.csv --target-column NAME [--missing drop|mean|zero] | --dataset NAME)
        [--optimizer NAME] [--lr X] [--epochs N] [--batch-size N|full] [--seed N] [--loss NAME]
        [--db FILE --project NAME] --out trained.json [--json]
  compare <model.json> (data flags as train) --optimizers adam,sgd,rprop [--epochs N] [--lr X] --json
  predict <model.json> --data FILE.csv [--json]
  explain <model.json> --input X.csv --target Y.csv --loss NAME [--mode train|eval] [--dtype float32|float64] --json
  export <model.json> --to pytorch|json [--out FILE]`;

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

async function train(file: string | undefined, v: Values): Promise<void> {
  const model = loadModel(file);
  if (!v.out) throw new CliError('give --out trained.json');
  const training = trainingFrom(model, v);
  const data = loadData({ ...v, seed: undefined });
  const session = new TrainingSession(model, data, training);
  const flags: { kind: string; node: string; epoch: number }[] = [];
  const t0 = performance.now();
  let diverged: string | undefined;
  let early: string | undefined;
  session.runAll((r) => {
    for (const f of r.flags) {
      flags.push({ kind: f.kind, node: f.node, epoch: f.epoch });
      if (!v.json) process.stderr.write(`\n${f.kind}: ${f.message}\n`);
    }
    diverged ??= r.diverged;
    early ??= r.stoppedEarly;
    if (!v.json) progress(r.point.epoch, session.epochs, r.point.loss);
  });
  const seconds = (performance.now() - t0) / 1000;
  const trained = session.exportModel();
  writeFileSync(v.out, JSON.stringify(trained));
  const history = session.history.map((p) => ({ epoch: p.epoch, loss: p.loss, val_loss: p.val_loss ?? null, ...(p.accuracy !== undefined ? { accuracy: p.accuracy } : {}) }));
  const finalLoss = history.length ? history[history.length - 1].loss : null;
  if (v.db) recordRun(v.db, v.project ?? 'CLI runs', trained, training, session.history, { diverged, dataset: v.dataset });
  const summary: Record<string, unknown> = { epochs: session.epoch, final_loss: finalLoss, history, flags, out: v.out, seconds };
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
  const output = rows.length ? predictRows(compiled, rows) : [];
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
  const e = explain(model, x, y, loss, mode, v.dtype === 'float32' ? 'float32' : 'float64');
  const out = { output: e.output, loss: e.loss, activations: e.activations, grads: e.grads, state: e.state };
  if (v.json) process.stdout.write(`${JSON.stringify(out)}\n`);
  else process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

function exportCmd(file: string | undefined, v: Values): void {
  const model = loadModel(file);
  const to = v.to ?? 'json';
  let text: string;
  if (to === 'json') text = JSON.stringify(model, null, 1);
  else if (to === 'pytorch') text = exportPytorch(model);
  else throw new CliError(`--to must be pytorch or json, got '${to}'`);
  if (v.out) writeFileSync(v.out, text);
  else process.stdout.write(text);
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

import { analyzeGraph, compile } from '../graph';
import type { ModelJson } from '../graph';
import { lossDef } from '../losses';
import { OPTIMIZER_CATALOG, type HyperValue } from '../optim';
import { parseTraining, SCHEDULES, type ResolvedTraining } from '../train';
import { pythonModules } from './pytorch-modules';
import { PYTHON_MAIN } from './pytorch-main';
import { PYTHON_TRAINER } from './pytorch-trainer';
import { readScaling, scalingAffine } from './scaling';

/** torch.optim class for each engine optimizer; the hyper-parameters share PyTorch's names, so they pass through as they are. */
const TORCH_OPTIMIZERS: Record<string, { cls: string; fixed?: string }> = {
  sgd: { cls: 'SGD' },
  momentum: { cls: 'SGD' },
  nesterov: { cls: 'SGD', fixed: 'nesterov=True' },
  adagrad: { cls: 'Adagrad' },
  adadelta: { cls: 'Adadelta' },
  rmsprop: { cls: 'RMSprop' },
  adam: { cls: 'Adam' },
  adamw: { cls: 'AdamW' },
  adamax: { cls: 'Adamax' },
  nadam: { cls: 'NAdam' },
  rprop: { cls: 'Rprop' },
  lbfgs: { cls: 'LBFGS' },
};

/** Each loss with PyTorch's function and default reduction, as the engine defines it (src-engine/losses). */
const TORCH_LOSSES: Record<string, string> = {
  mse: 'F.mse_loss(pred, target)',
  mae: 'F.l1_loss(pred, target)',
  huber: 'F.huber_loss(pred, target, delta=1.0)',
  bce: 'F.binary_cross_entropy(pred, target)',
  bce_logits: 'F.binary_cross_entropy_with_logits(pred, target)',
  cross_entropy: 'F.cross_entropy(pred, target[:, 0].long())',
  nll: 'F.nll_loss(pred, target[:, 0].long())',
  kl: 'F.kl_div(pred, target, reduction="batchmean")',
};

/** How --target rows look for each kind of loss target (LossDef.targets); nothing is re-encoded. */
const TARGET_ROWS: Record<string, string> = {
  index: 'one column: the class index 0…m−1 of each row',
  binary: 'one column per output unit, each 0 or 1 (or a probability in [0, 1])',
  onehot: 'one column per output unit: a probability row (one-hot rows for class data)',
  real: 'one column per output unit, any real numbers (for class data: 0/1, or −1/+1 for a Tanh-like output unit, as Neurograph encodes them)',
};

function py(v: HyperValue | undefined): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `(${v.map(py).join(', ')})`;
  return String(v);
}

/** A Python string literal holding JSON, read back with json.loads. */
const pyJson = (v: unknown) => `json.loads(${JSON.stringify(JSON.stringify(v))})`;

/** The training block the file trains with: the engine's defaults filled in, the optimizer's and the schedule's too. */
function resolved(model: ModelJson): { t: ResolvedTraining; hypers: Record<string, HyperValue> } {
  const t = parseTraining(model.training ?? { loss: 'mse' });
  const info = OPTIMIZER_CATALOG.find((o) => o.name === t.optimizer.name);
  const { name: _n, ...given } = t.optimizer;
  const hypers = { ...(info?.defaults ?? {}), ...(given as Record<string, HyperValue>) };
  t.optimizer = { name: t.optimizer.name, ...hypers } as ResolvedTraining['optimizer'];
  if (t.lr_schedule) {
    const defaults = Object.fromEntries(SCHEDULES[t.lr_schedule.name].params.map((p) => [p.key, p.default]));
    t.lr_schedule = { ...defaults, ...t.lr_schedule } as ResolvedTraining['lr_schedule'];
  }
  return { t, hypers };
}

function optimizerCode(name: string, hypers: Record<string, HyperValue>): { problem: string | null; code: string } {
  const torch = TORCH_OPTIMIZERS[name];
  if (!torch) {
    const known = Object.keys(TORCH_OPTIMIZERS).join(', ');
    const problem = `the model's optimizer '${name}' has no counterpart in torch.optim (PyTorch lacks quickprop, cg, bfgs and levenberg_marquardt); train it in Neurograph (npx neurograph train), or set training.optimizer to one of ${known} and export again`;
    return { problem, code: 'def make_optimizer(params):\n    fail(OPTIMIZER_PROBLEM)' };
  }
  const args = Object.entries(hypers).map(([k, v]) => `${k}=${py(v)}`);
  if (torch.fixed) args.push(torch.fixed);
  return { problem: null, code: `def make_optimizer(params):\n    return torch.optim.${torch.cls}(params, ${args.join(', ')})` };
}

/**
 * The model as one self-contained Python file (PyTorch ≥ 1.13):
 *  - `build(weights=None)` returns the nn.Module with the trained weights loaded, in eval mode
 *    (`weights`: a model JSON of the same graph to load instead);
 *  - `python3 model.py --input X.csv [--weights m.json]` prints the outputs as CSV rows (float64);
 *  - `python3 model.py train --input X.csv --target Y.csv [--epochs N] [--workers K] --out trained.json`
 *    trains on with the model's training block mapped to PyTorch (loss, torch.optim optimizer with
 *    its hyper-parameters, schedule, batching, shuffling, seed, clipping, L1/L2 on weights only,
 *    splits, early stopping) — DistributedDataParallel over K processes — and writes model JSON v1.
 * Targets are taken exactly as the loss expects them (see `train --help`). An optimizer torch.optim
 * lacks (quickprop, cg, bfgs, levenberg_marquardt) is refused by `train`, naming it.
 */
export function exportPytorch(model: ModelJson): string {
  const analysis = analyzeGraph(model);
  const compiled = compile(model, { dtype: 'float64' });
  const { t, hypers } = resolved(model);
  const loss = lossDef(t.loss)!;
  const { layers, forward, stateDict, paramKeys, stateKeys } = pythonModules(model, analysis, compiled);
  const decayKeys = compiled.params.filter((p) => p.decay).map((p) => paramKeys[p.node][p.name]);
  // DDP must be told when some parameters do not feed the first output (the one forward returns).
  const reach = new Set<string>();
  const stack = [model.outputs[0]];
  while (stack.length) {
    const id = stack.pop()!;
    if (!reach.has(id)) stack.push(...(model.nodes.find((n) => n.id === id)?.in ?? []));
    reach.add(id);
  }
  const findUnused = compiled.params.some((p) => !reach.has(p.node));
  const outW = analysis.widths[model.outputs[0]];
  const targetWidth = loss.targetWidth(outW);
  const opt = optimizerCode(t.optimizer.name, hypers);
  const { params: _p, state: _s, ...graph } = model;
  const scaling = readScaling(model, analysis.widths[analysis.inputId!]!);
  const trainHelp = [
    `This model: loss ${t.loss} (${loss.label}); optimizer ${t.optimizer.name}; ${t.epochs} epochs; batch size ${t.batch_size}; seed ${t.seed}.`,
    '',
    'Targets (--target) are taken exactly as the loss expects them, as `neurograph explain --target`',
    `does; nothing is re-encoded. Loss ${t.loss} takes ${TARGET_ROWS[loss.targets]}`,
    `— ${targetWidth} column${targetWidth === 1 ? '' : 's'} per row for this model. For the other losses:`,
    '  cross_entropy, nll: one column, the class index 0…m−1',
    '  bce, bce_logits:    one column per output unit, 0 or 1',
    '  kl:                 one probability row per sample (one-hot for classes)',
    '  mse, mae, huber:    real targets per output unit (classes as 0/1, or −1/+1 for Tanh-like outputs)',
    '',
    '--workers K trains in K processes with DistributedDataParallel (gloo on CPU, NCCL with CUDA),',
    'rendezvous on 127.0.0.1 (MASTER_ADDR/MASTER_PORT when set); started by a launcher that sets',
    'RANK and WORLD_SIZE, each process is that rank. Every step splits its batch among the workers,',
    'so K workers take the step one would. BatchNorm normalizes each worker\'s part of the batch',
    '(SyncBatchNorm with CUDA). --out gets model JSON v1, which Neurograph imports with its weights.',
  ].join('\n');
  return `"""Neurograph model exported for PyTorch.

    from model import build
    net = build()          # nn.Module with the trained weights, in eval mode
    y = net(torch.tensor(rows, dtype=torch.float32))

From a shell:
    python3 model.py --input X.csv                  # one CSV row of outputs per input row
    python3 model.py train --input X.csv --target Y.csv [--epochs N] [--workers K] --out trained.json
                                                    # trains on with the model's training block
"""
import argparse
import csv
import json
import math
import os
import socket
import sys

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn.functional as F
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP

${layers}

${forward}


STATE = {
${stateDict.join('\n')}
}

# The graph without its weights (written back with the trained ones by train), and how model JSON
# names map to state-dict keys.
GRAPH = ${pyJson(graph)}
PARAM_KEYS = ${pyJson(paramKeys)}
STATE_KEYS = ${pyJson(stateKeys)}
# Weights the L1/L2 penalties act on (not biases, BatchNorm or PReLU slopes), as in the engine.
DECAY_KEYS = ${pyJson(decayKeys)}
FIND_UNUSED = ${py(findUnused)}
HAS_BATCHNORM = ${py(model.nodes.some((n) => n.type === 'BatchNorm1d'))}

# The training block with every default filled in.
TRAINING = ${pyJson(t)}
INPUT_WIDTH = ${analysis.widths[analysis.inputId!]}
# The input scaling the model was trained with (meta.scaling) as x' = (x - offset) / divisor, or None:
# the command line scales raw --input rows with it; build()'s module takes rows already scaled.
SCALING = ${scaling ? pyJson(scalingAffine(scaling)) : 'None'}
OUTPUT_WIDTH = ${outW}
TARGET_WIDTH = ${targetWidth}
TARGET_KIND = ${JSON.stringify(loss.targets)}
PROBABILITIES = ${loss.probabilities ? JSON.stringify(loss.probabilities) : 'None'}
OPTIMIZER_PROBLEM = ${opt.problem ? JSON.stringify(opt.problem) : 'None'}
TRAIN_HELP = ${JSON.stringify(trainHelp)}


def build(weights=None, dtype=torch.float32):
    """The model with its trained weights loaded, in eval mode; \`weights\`: a model JSON of this graph to load instead."""
    net = Model().to(dtype)
    own = net.state_dict()
    values = STATE if weights is None else load_model_json(weights)
    loaded = {k: torch.tensor(v, dtype=own[k].dtype).reshape(own[k].shape) for k, v in values.items()}
    net.load_state_dict(loaded, strict=True)
    net.eval()
    return net


def data_loss(pred, target):
    """${loss.name}: ${loss.doc.formula}"""
    return ${TORCH_LOSSES[loss.name] ?? 'fail(f"loss ' + loss.name + ' has no PyTorch form")'}


${opt.code}

${PYTHON_TRAINER}

${PYTHON_MAIN}`;
}

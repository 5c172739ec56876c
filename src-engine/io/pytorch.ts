import { analyzeGraph, compile } from '../graph';
import type { ModelJson } from '../graph';

/** Python expression for each node type; attributes use PyTorch's names, so most map one to one. */
function moduleFor(type: string, a: Record<string, unknown>, inW: number[], width: number): string {
  const py = (v: unknown) => (typeof v === 'boolean' ? (v ? 'True' : 'False') : typeof v === 'string' ? JSON.stringify(v) : String(v));
  const kw = (names: string[]) => names.filter((n) => a[n] !== undefined).map((n) => `${n}=${py(a[n])}`).join(', ');
  switch (type) {
    case 'Linear':
      return `nn.Linear(${inW[0]}, ${width}, bias=${py(a.bias !== false)})`;
    case 'BatchNorm1d':
      return `nn.BatchNorm1d(${width}, ${kw(['eps', 'momentum', 'affine'])})`;
    case 'Dropout':
      return `nn.Dropout(${kw(['p'])})`;
    case 'Softmax':
      return 'nn.Softmax(dim=1)';
    case 'LogSoftmax':
      return 'nn.LogSoftmax(dim=1)';
    case 'PReLU':
      return `nn.PReLU(${kw(['num_parameters', 'init'])})`;
    case 'Maxout':
      return `Maxout(${inW[0]}, ${a.units}, ${a.pieces})`;
    case 'Add':
      return 'Add()';
    case 'Concat':
      return 'Concat()';
    case 'Step':
    case 'Sign':
    case 'PiecewiseLinear':
      return `${type}()`;
    case 'BipolarSigmoid':
      return `BipolarSigmoid(${kw(['a'])})`;
    case 'LeakyReLU':
      return `nn.LeakyReLU(${kw(['negative_slope'])})`;
    case 'ELU':
    case 'CELU':
      return `nn.${type}(${kw(['alpha'])})`;
    case 'GELU':
      return `nn.GELU(${kw(['approximate'])})`;
    case 'Softplus':
      return `nn.Softplus(${kw(['beta', 'threshold'])})`;
    case 'Hardtanh':
      return `nn.Hardtanh(${kw(['min_val', 'max_val'])})`;
    case 'Softshrink':
    case 'Hardshrink':
      return `nn.${type}(${kw(['lambd'])})`;
    case 'RReLU':
      return `nn.RReLU(${kw(['lower', 'upper'])})`;
    default:
      return `nn.${type}()`;
  }
}

const PRELUDE = `class Step(nn.Module):
    """Heaviside step: 1 for x > 0, 0.5 at 0, 0 for x < 0 (zero gradient)."""
    def forward(self, x):
        return torch.heaviside(x.detach(), torch.tensor(0.5, dtype=x.dtype))


class Sign(nn.Module):
    def forward(self, x):
        return torch.sign(x.detach())


class PiecewiseLinear(nn.Module):
    """The lecture's piecewise-linear unit: clamp(x + 1/2, 0, 1)."""
    def forward(self, x):
        return torch.clamp(x + 0.5, 0.0, 1.0)


class BipolarSigmoid(nn.Module):
    """2 / (1 + exp(-a x)) - 1 = tanh(a x / 2)."""
    def __init__(self, a=1.0):
        super().__init__()
        self.a = a

    def forward(self, x):
        return torch.tanh(self.a * x / 2)


class Maxout(nn.Module):
    """Maxout: weight [units*pieces][in]; row u*pieces + k is piece k of unit u."""
    def __init__(self, in_features, units, pieces):
        super().__init__()
        self.units, self.pieces = units, pieces
        self.linear = nn.Linear(in_features, units * pieces)

    def forward(self, x):
        z = self.linear(x)
        return z.view(z.shape[0], self.units, self.pieces).max(dim=2).values


class Add(nn.Module):
    def forward(self, *xs):
        out = xs[0]
        for x in xs[1:]:
            out = out + x
        return out


class Concat(nn.Module):
    def forward(self, *xs):
        return torch.cat(xs, dim=1)
`;

/**
 * The model as one self-contained Python file: `build()` returns the nn.Module with the trained
 * weights loaded (eval mode); `python3 model.py --input X.csv` prints the outputs as CSV rows.
 */
export function exportPytorch(model: ModelJson): string {
  const analysis = analyzeGraph(model);
  const compiled = compile(model);
  const params = compiled.paramsJson();
  const state = compiled.stateJson();
  const byId = new Map(model.nodes.map((n) => [n.id, n]));
  const key = new Map(analysis.order.map((id, i) => [id, `n${i}_${id.replace(/[^A-Za-z0-9_]/g, '_')}`]));
  const inputId = analysis.inputId!;
  const mods: string[] = [];
  const lines: string[] = [];
  for (const id of analysis.order) {
    const n = byId.get(id)!;
    const k = key.get(id)!;
    if (id === inputId) {
      lines.push(`        v[${JSON.stringify(id)}] = x`);
      continue;
    }
    const inW = (n.in ?? []).map((s) => analysis.widths[s]);
    mods.push(`            ${JSON.stringify(k)}: ${moduleFor(n.type, analysis.attrs[id] as Record<string, unknown>, inW, analysis.widths[id])},`);
    const args = (n.in ?? []).map((s) => `v[${JSON.stringify(s)}]`).join(', ');
    lines.push(`        v[${JSON.stringify(id)}] = self.layers[${JSON.stringify(k)}](${args})`);
  }
  const paramKeys: Record<string, Record<string, string>> = {};
  for (const id of Object.keys(params)) {
    const type = byId.get(id)!.type;
    paramKeys[id] = {};
    for (const name of Object.keys(params[id])) paramKeys[id][name] = type === 'Maxout' ? `${key.get(id)}.linear.${name}` : `${key.get(id)}.${name}`;
  }
  const stateDict: string[] = [];
  for (const [id, ps] of Object.entries(params)) for (const [name, v] of Object.entries(ps)) stateDict.push(`    ${JSON.stringify(`layers.${paramKeys[id][name]}`)}: ${JSON.stringify(v)},`);
  for (const [id, ss] of Object.entries(state)) for (const [name, v] of Object.entries(ss)) stateDict.push(`    ${JSON.stringify(`layers.${key.get(id)}.${name}`)}: ${JSON.stringify(v)},`);
  return `"""Neurograph model exported for PyTorch.

    from model import build
    net = build()          # nn.Module with the trained weights, in eval mode
    y = net(torch.tensor(rows, dtype=torch.float32))

or from a shell:  python3 model.py --input X.csv   (prints one CSV row of outputs per input row)
"""
import argparse
import csv
import sys

import torch
from torch import nn


${PRELUDE}

class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleDict({
${mods.join('\n')}
        })

    def forward(self, x):
        v = {}
${lines.join('\n')}
        return v[${JSON.stringify(model.outputs[0])}]


STATE = {
${stateDict.join('\n')}
}


def build():
    """The model with its trained weights loaded, in eval mode."""
    net = Model()
    own = net.state_dict()
    loaded = {k: torch.tensor(v, dtype=own[k].dtype).reshape(own[k].shape) for k, v in STATE.items()}
    net.load_state_dict(loaded, strict=True)
    net.eval()
    return net


def main():
    ap = argparse.ArgumentParser(description="Run the exported Neurograph model on a CSV of inputs.")
    ap.add_argument("--input", required=True, help="CSV of numbers, one row per sample (a header row is skipped)")
    a = ap.parse_args()
    rows = []
    with open(a.input, newline="") as f:
        for i, row in enumerate(csv.reader(f)):
            try:
                rows.append([float(c) for c in row])
            except ValueError:
                if i == 0:
                    continue
                raise
    net = build().double()
    with torch.no_grad():
        out = net(torch.tensor(rows, dtype=torch.float64))
    w = csv.writer(sys.stdout)
    for r in out.tolist():
        w.writerow([repr(v) for v in r])


if __name__ == "__main__":
    main()
`;
}

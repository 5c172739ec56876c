import type { GraphAnalysis, Model, ModelJson } from '../graph';

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

/** Modules PyTorch has no class for, with the engine's definitions. */
const PRELUDE = `class Step(nn.Module):
    """Heaviside step: 1 for x > 0, 0.5 at 0, 0 for x < 0 (zero gradient)."""
    def forward(self, x):
        return torch.heaviside(x.detach(), torch.tensor(0.5, dtype=x.dtype, device=x.device))


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
        return torch.cat(xs, dim=1)`;

/**
 * The model's PyTorch modules: the prelude and the Model class (one module per node, in graph
 * order), its weights as a state dict, and where each model JSON param/state lives in that dict.
 */
export function pythonModules(model: ModelJson, analysis: GraphAnalysis, compiled: Model) {
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
    for (const name of Object.keys(params[id])) paramKeys[id][name] = `layers.${key.get(id)}.${type === 'Maxout' ? 'linear.' : ''}${name}`;
  }
  const stateKeys: Record<string, Record<string, string>> = {};
  for (const [id, ss] of Object.entries(state)) stateKeys[id] = Object.fromEntries(Object.keys(ss).map((name) => [name, `layers.${key.get(id)}.${name}`]));
  const stateDict: string[] = [];
  for (const [id, ps] of Object.entries(params)) for (const [name, v] of Object.entries(ps)) stateDict.push(`    ${JSON.stringify(paramKeys[id][name])}: ${JSON.stringify(v)},`);
  for (const [id, ss] of Object.entries(state)) for (const [name, v] of Object.entries(ss)) stateDict.push(`    ${JSON.stringify(stateKeys[id][name])}: ${JSON.stringify(v)},`);
  const forward = `class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleDict({
${mods.join('\n')}
        })

    def forward(self, x):
        v = {}
${lines.join('\n')}
        return v[${JSON.stringify(model.outputs[0])}]`;
  return { layers: PRELUDE, forward, stateDict, paramKeys, stateKeys };
}

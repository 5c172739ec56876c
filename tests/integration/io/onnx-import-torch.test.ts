/**
 * ONNX files Neurograph did not write: PyTorch's own exporter (torch.onnx.export, opsets 13 and 17)
 * on a network with every activation PyTorch and Neurograph share, BatchNorm in eval mode, a Linear
 * without bias (MatMul), a residual Add, Concat and LogSoftmax. The imported model's predictions
 * equal PyTorch's own, computed in float64 from the same float32 weights.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile, importOnnx, predictRows } from '../../../src-engine';
import { mismatch } from '../../helpers/reference';

const dir = mkdtempSync(join(tmpdir(), 'ng-onnx-torch-'));

const SCRIPT = String.raw`
import json, sys, warnings
import torch, torch.nn as nn, torch.nn.functional as F
warnings.filterwarnings("ignore")
torch.manual_seed(0)
ACTS = [nn.ReLU(), nn.LeakyReLU(0.2), nn.ELU(0.7), nn.CELU(1.3), nn.SELU(), nn.GELU(), nn.GELU(approximate="tanh"),
        nn.Sigmoid(), nn.Tanh(), nn.Softplus(), nn.Softsign(), nn.Hardswish(), nn.Hardsigmoid(), nn.Hardtanh(-0.5, 0.8),
        nn.ReLU6(), nn.SiLU(), nn.Mish(), nn.PReLU(4, 0.1), nn.Softshrink(0.3), nn.Hardshrink(0.4), nn.Tanhshrink(),
        nn.LogSigmoid(), nn.Dropout(0.3), nn.Identity()]

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(3, 4)
        self.bn = nn.BatchNorm1d(4)
        self.acts = nn.ModuleList(ACTS)
        self.lins = nn.ModuleList([nn.Linear(4, 4) for _ in ACTS])
        self.nobias = nn.Linear(4, 4, bias=False)
        self.out = nn.Linear(8, 3)

    def forward(self, x):
        h = self.bn(self.inp(x))
        skip = h
        for a, lin in zip(self.acts, self.lins):
            h = a(lin(h))
        h = h + self.nobias(skip)
        return F.log_softmax(self.out(torch.cat([h, skip], dim=1)), dim=1)

net = Net().eval()
with torch.no_grad():
    net.bn.running_mean.uniform_(-1, 1)
    net.bn.running_var.uniform_(0.5, 2)
    net.bn.weight.uniform_(0.5, 1.5)
    net.bn.bias.uniform_(-0.5, 0.5)
torch.onnx.export(net, torch.randn(2, 3), sys.argv[1], opset_version=int(sys.argv[2]), input_names=["x"], output_names=["y"],
                  dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}})
rows = torch.randn(16, 3, dtype=torch.float64) * 2
with torch.no_grad():
    out = net.double()(rows)
print(json.dumps({"rows": rows.tolist(), "out": out.tolist()}))
`;

/** How many activations the script's ACTS list has (one Linear after each). */
const ACTS_COUNT = 24;

describe('importOnnx reads what torch.onnx.export writes', () => {
  for (const opset of [13, 17]) {
    it(`opset ${opset}: every shared activation, BatchNorm, MatMul without bias, Add and Concat; predictions equal PyTorch's (float32 weights: 1e-6)`, () => {
      const file = join(dir, `torch${opset}.onnx`);
      const ref = JSON.parse(execFileSync('/usr/bin/python3', ['-c', SCRIPT, file, String(opset)], { encoding: 'utf8', timeout: 120_000 }));
      const model = importOnnx(new Uint8Array(readFileSync(file)));
      const types = new Set(model.nodes.map((n) => n.type));
      for (const t of ['Linear', 'BatchNorm1d', 'GELU', 'Hardswish', 'Softsign', 'Softshrink', 'Hardshrink', 'LogSigmoid', 'Mish', 'SiLU', 'PReLU', 'Add', 'Concat', 'LogSoftmax']) {
        expect(types.has(t), t).toBe(true);
      }
      // Both GELUs keep their form, and of the 27 Linear layers exactly one (nobias) has no bias.
      expect(model.nodes.filter((n) => n.type === 'GELU').map((n) => n.approximate ?? 'none')).toEqual(['none', 'tanh']);
      const linears = model.nodes.filter((n) => n.type === 'Linear');
      expect([linears.length, linears.filter((n) => n.bias === false).length]).toEqual([ACTS_COUNT + 3, 1]);
      const got = predictRows(compile(model, { dtype: 'float64' }), ref.rows);
      expect(mismatch(got, ref.out, 1e-6, 1e-6)).toBeNull();
    });
  }
});

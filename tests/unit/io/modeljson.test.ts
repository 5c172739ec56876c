import { describe, expect, it } from 'vitest';
import { ModelJsonError, NewerVersionError, parseModelJson } from '../../../src-engine/io';
import { compile } from '../../../src-engine/graph';
import type { NodeSpec } from '../../../src-engine/graph/types';

const base = () => ({
  format: 'neurograph-model' as const,
  version: 1 as const,
  nodes: [
    { id: 'x', type: 'Input', size: 2 },
    { id: 'fc1', type: 'Linear', in: ['x'], units: 3 },
    { id: 'a1', type: 'ReLU', in: ['fc1'] },
    { id: 'fc2', type: 'Linear', in: ['a1'], units: 1 },
  ] as NodeSpec[],
  outputs: ['fc2'],
});

function error(text: string): ModelJsonError {
  try {
    parseModelJson(text);
  } catch (e) {
    expect(e).toBeInstanceOf(ModelJsonError);
    return e as ModelJsonError;
  }
  throw new Error('expected the model to be refused');
}

describe('model JSON v1 import refuses bad files whole, saying what and where', () => {
  it('accepts a valid model and round-trips its parameters exactly', () => {
    const m = compile(base(), { seed: 3 });
    const text = JSON.stringify({ ...base(), params: m.paramsJson(), state: m.stateJson() });
    const parsed = parseModelJson(text);
    expect(compile(parsed).paramsJson()).toEqual(m.paramsJson());
  });

  it('text that is not JSON, or cut short: the line and column', () => {
    const e = error('{\n  "format": "neurograph-model",\n  "nodes": [}\n');
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/not valid JSON at line 3/);
    expect(error(JSON.stringify(base()).slice(0, 40)).message).toMatch(/not valid JSON/);
  });

  it('a wrong field: the path of the field (nodes[1].units)', () => {
    const m = base();
    m.nodes[1].units = -3;
    const e = error(JSON.stringify(m));
    expect(e.path).toBe('nodes[1].units');
    expect(e.message).toMatch(/fc1: units must be ≥ 1, got -3/);
    m.nodes[1].units = 2.5;
    expect(error(JSON.stringify(m)).message).toMatch(/units must be a whole number/);
  });

  it('a misspelt attribute or unknown type is named', () => {
    const m = base();
    m.nodes[2] = { id: 'a1', type: 'ReLu', in: ['fc1'] };
    expect(error(JSON.stringify(m)).message).toMatch(/a1: unknown node type "ReLu"/);
    const k = base();
    k.nodes[1].unitz = 4;
    expect(error(JSON.stringify(k)).message).toMatch(/unknown attribute 'unitz' for Linear/);
  });

  it('a model from a newer Neurograph is recognised as such', () => {
    expect(() => parseModelJson(JSON.stringify({ ...base(), version: 2 }))).toThrow(NewerVersionError);
  });

  it('__proto__ and constructor keys pollute nothing and are refused', () => {
    const text = JSON.stringify(base()).replace('"outputs"', '"__proto__":{"polluted":1},"outputs"');
    expect(error(text).message).toMatch(/__proto__/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const m = base();
    m.nodes[1].id = 'constructor';
    expect(() => parseModelJson(JSON.stringify(m))).toThrow(ModelJsonError);
  });

  it('absurd nesting and sizes are refused before work is done', () => {
    expect(error(`${'['.repeat(100)}${']'.repeat(100)}`).message).toMatch(/nested more than/);
    const m = base();
    m.nodes[1].units = 1e9;
    const e = error(JSON.stringify(m));
    expect(e.message).toMatch(/far too large/);
    expect(e.message).toMatch(/GB/);
    m.nodes[1].units = 200_000;
    m.nodes[0].size = 200_000;
    expect(error(JSON.stringify(m)).message).toMatch(/would have 40,000,\d{3},\d{3} parameters and need about \d+\.\d GB/);
  });

  it('weights of the wrong length or with NaN name node and parameter', () => {
    const m = compile(base(), { seed: 1 }).paramsJson();
    (m.fc1.weight as number[][])[2] = [1];
    expect(error(JSON.stringify({ ...base(), params: m })).path).toBe('params.fc1.weight[2]');
    const n = compile(base(), { seed: 1 }).paramsJson();
    const text = JSON.stringify({ ...base(), params: n }).replace(/"bias":\[[^\]]*\]/, '"bias":[0,"NaN",0]');
    expect(error(text).path).toBe('params.fc1.bias');
  });

  it('a cycle or self-loop lists the nodes in it', () => {
    const m = base();
    m.nodes[1].in = ['fc2'];
    expect(error(JSON.stringify(m)).message).toMatch(/cycle: (fc1|a1|fc2) → .* → \1/);
    const s = base();
    s.nodes[2].in = ['a1'];
    expect(error(JSON.stringify(s)).message).toMatch(/a1 feeds itself/);
  });

  it('dangling edges, duplicate ids, missing output and unreachable nodes', () => {
    const d = base();
    d.nodes[3].in = ['nope'];
    expect(error(JSON.stringify(d)).message).toMatch(/fc2: input 'nope' does not exist/);
    const dup = base();
    dup.nodes[2].id = 'fc1';
    expect(error(JSON.stringify(dup)).message).toMatch(/duplicate node id 'fc1'/);
    expect(error(JSON.stringify({ ...base(), outputs: [] })).message).toMatch(/outputs/);
    const extra = base();
    extra.nodes.push({ id: 'lonely', type: 'Tanh', in: ['a1'] });
    expect(error(JSON.stringify(extra)).message).toMatch(/lonely: does not reach an output/);
    const add = base();
    add.nodes.push({ id: 'sum', type: 'Add', in: ['fc1', 'fc2'] });
    add.outputs = ['sum'];
    expect(error(JSON.stringify(add)).message).toMatch(/Add needs inputs of equal width, got 3, 1/);
  });
});

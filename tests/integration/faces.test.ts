/**
 * Module faces (STYLE.md), enforced: dependency-cruiser with the project's rules (.dependency-cruiser.cjs)
 * finds no deep import across a module's index.ts in the sources, and does find one in a fixture that
 * has them — so `npm test` fails the day someone reaches into another module's insides.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/reference';

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

function cruise(cwd: string, dirs: string[]): Violation[] {
  const bin = resolve(REPO, 'node_modules/.bin/depcruise');
  const r = spawnSync(bin, [...dirs, '--config', resolve(REPO, '.dependency-cruiser.cjs'), '--output-type', 'json'], { cwd, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (!r.stdout) throw new Error(`depcruise printed nothing: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

describe('module faces', () => {
  it('the sources import across modules only through their index.ts (and the renderer only through the catalog face)', () => {
    const violations = cruise(REPO, ['src-engine', 'src-main', 'src-renderer/src', 'bench']);
    expect(violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
  });

  it('a deep import across a face is reported, naming the rule and both files', () => {
    const found = cruise(resolve(REPO, 'tests/fixtures/faces'), ['src-engine', 'src-main', 'src-renderer']).map((v) => [v.rule.name, v.from, v.to]);
    expect(found).toEqual(
      expect.arrayContaining([
        ['engine-module-face', 'src-engine/graph/index.ts', 'src-engine/train/session.ts'],
        ['main-uses-engine-face', 'src-main/cli/main.ts', 'src-engine/train/session.ts'],
        ['renderer-uses-catalog-face', 'src-renderer/src/app.ts', 'src-engine/index.ts'],
      ]),
    );
  });
});

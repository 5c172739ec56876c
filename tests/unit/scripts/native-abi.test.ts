/**
 * Reading a native addon's ABI from its bytes (scripts/native-abi.mjs), checked against the runtimes
 * themselves: the Node build of better-sqlite3 loads in this Node, so its ABI is process.versions.modules;
 * Electron's npm package ships its own ABI in node_modules/electron/abi_version.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkAbi, describeAbi, electronAbi, ELECTRON_ABI_FALLBACK, moduleAbis } from '../../../scripts/native-abi.mjs';
import { REPO } from '../../helpers/reference';

const nodeBuild = readFileSync(resolve(REPO, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'));
const electronVersion = JSON.parse(readFileSync(resolve(REPO, 'node_modules/electron/package.json'), 'utf8')).version as string;
const registry = JSON.parse(readFileSync(resolve(REPO, 'node_modules/node-abi/abi_registry.json'), 'utf8')) as { runtime: string; target: string; abi: string }[];
const electronShippedAbi = Number(readFileSync(resolve(REPO, 'node_modules/electron/abi_version'), 'utf8').trim());

describe('moduleAbis', () => {
  it("reads the Node build's ABI from its node_register_module_v symbol: the ABI of the Node that loads it", () => {
    expect(moduleAbis(nodeBuild)).toEqual([Number(process.versions.modules)]);
  });

  it('finds the symbol the way Mach-O (leading underscore) and PE export tables spell it', () => {
    const macho = Buffer.concat([Buffer.from([0xcf, 0xfa, 0xed, 0xfe]), Buffer.alloc(64), Buffer.from('_node_register_module_v150\0_napi_x\0')]);
    const pe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200), Buffer.from('better_sqlite3.node\0node_register_module_v133\0')]);
    expect(moduleAbis(macho)).toEqual([150]);
    expect(moduleAbis(pe)).toEqual([133]);
  });

  it('finds nothing in a file that is not a node.h addon, and ignores a number too long to be an ABI', () => {
    expect(moduleAbis(Buffer.from('\x7fELF napi_register_module_v1\0'))).toEqual([]);
    expect(moduleAbis(Buffer.from('node_register_module_v12345\0'))).toEqual([]);
  });
});

describe('electronAbi', () => {
  it("node-abi knows the installed Electron, and agrees with the ABI Electron's package ships", () => {
    expect(electronAbi(electronVersion)).toEqual({ abi: electronShippedAbi, source: 'node-abi', note: null });
  });

  it('falls back to the documented table when node-abi does not know the version, and says so', () => {
    const unknown = () => {
      throw new Error('Could not detect abi for version 45.4.1 and runtime electron.');
    };
    const r = electronAbi('45.4.1', unknown);
    expect(r.abi).toBe(electronShippedAbi);
    expect(r.source).toBe('fallback table');
    expect(r.note).toMatch(/node-abi does not know Electron 45\.4\.1.*ELECTRON_ABI_FALLBACK/);
  });

  it('refuses a version neither knows, saying what to update', () => {
    expect(() => electronAbi('99.0.0')).toThrow(/node-abi does not know Electron 99\.0\.0.*Update node-abi.*ELECTRON_ABI_FALLBACK/);
  });

  it("the fallback table agrees with node-abi's registry for every Electron it lists", () => {
    for (const [major, abi] of Object.entries(ELECTRON_ABI_FALLBACK)) {
      const listed = registry.filter((t) => t.runtime === 'electron' && t.target.split('.')[0] === major).map((t) => Number(t.abi));
      expect([major, listed]).toEqual([major, [abi]]);
    }
  });
});

describe('checkAbi', () => {
  it("refuses the Node build for Electron, naming both ABIs and whose they are", () => {
    const r = checkAbi(nodeBuild, electronAbi(electronVersion).abi, 'better_sqlite3.node');
    expect(r.ok).toBe(false);
    expect(r.abi).toBe(Number(process.versions.modules));
    expect(r.message).toBe(
      `better_sqlite3.node was built for ABI ${process.versions.modules} (Node ${process.versions.node.split('.')[0]}), but it must be ${electronShippedAbi} (Electron ${electronVersion.split('.')[0]}).`,
    );
  });

  it('accepts a binary whose symbol names the wanted ABI', () => {
    const patched = Buffer.from(nodeBuild.toString('latin1').replaceAll(`node_register_module_v${process.versions.modules}`, `node_register_module_v${electronShippedAbi}`), 'latin1');
    expect(checkAbi(patched, electronShippedAbi)).toEqual({ ok: true, abi: electronShippedAbi, message: null });
  });

  it('refuses a file without the symbol, and one naming two ABIs', () => {
    expect(checkAbi(Buffer.from('not a library'), 150).message).toMatch(/no node_register_module_v<ABI> symbol/);
    expect(checkAbi(Buffer.from('node_register_module_v115\0node_register_module_v150\0'), 150).message).toMatch(/several ABIs \(115, 150\)/);
  });

  it('describes ABIs by runtime', () => {
    expect(describeAbi(Number(process.versions.modules))).toBe(`Node ${process.versions.node.split('.')[0]}`);
    expect(describeAbi(9999)).toBe('an unknown runtime');
  });
});

// Which Node ABI a native addon was built for, and which one an Electron version needs.
//
// A `.node` file is a shared library (ELF on Linux, Mach-O on macOS, PE on Windows). An addon built with
// node.h's NODE_MODULE_INIT exports its entry point as `node_register_module_v<ABI>` (NODE_MODULE_INITIALIZER),
// so the symbol name is in the file's export/string table on every platform (Mach-O adds a leading `_`).
// Scanning the bytes for it reads the ABI without loading the library — loading would fail, or crash,
// under the wrong runtime, and could not be done at all for another platform's binary.
import nodeAbi from 'node-abi';

const SYMBOL = Buffer.from('node_register_module_v', 'latin1');

/**
 * Electron major → Node ABI (NODE_MODULE_VERSION), for when node-abi is older than the installed Electron.
 * Copied from node-abi 3.104's abi_registry.json; add a line when Electron is upgraded before node-abi is.
 */
export const ELECTRON_ABI_FALLBACK = Object.freeze({ 40: 143, 41: 145, 42: 146, 43: 148, 44: 149, 45: 150 });

/** Every distinct ABI named by a `node_register_module_v<N>` symbol in the bytes, ascending. */
export function moduleAbis(bytes) {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found = new Set();
  for (let at = buf.indexOf(SYMBOL); at !== -1; at = buf.indexOf(SYMBOL, at + 1)) {
    let end = at + SYMBOL.length;
    while (end < buf.length && end - at - SYMBOL.length < 4 && buf[end] >= 0x30 && buf[end] <= 0x39) end++;
    // A symbol name ends at a non-digit (NUL in string tables); five digits or more is not an ABI.
    if (end > at + SYMBOL.length && !(buf[end] >= 0x30 && buf[end] <= 0x39)) found.add(Number(buf.toString('latin1', at + SYMBOL.length, end)));
  }
  return [...found].sort((a, b) => a - b);
}

/** "Node 20" or "Electron 45" for a known ABI, else "an unknown runtime" (node-abi's table). */
export function describeAbi(abi, targets = nodeAbi.allTargets) {
  const hits = targets.filter((t) => Number(t.abi) === abi).map((t) => `${t.runtime === 'node' ? 'Node' : 'Electron'} ${String(t.target).split('.')[0]}`);
  return hits.length ? [...new Set(hits)].join(' / ') : 'an unknown runtime';
}

/**
 * The ABI an Electron version's addons must have: node-abi's answer, else ELECTRON_ABI_FALLBACK by major.
 * Returns {abi, source, note}; `note` says when node-abi did not know the version. Throws when neither knows it.
 */
export function electronAbi(version, getAbi = nodeAbi.getAbi) {
  try {
    return { abi: Number(getAbi(version, 'electron')), source: 'node-abi', note: null };
  } catch (err) {
    const major = Number(String(version).split('.')[0]);
    const abi = ELECTRON_ABI_FALLBACK[major];
    const why = err instanceof Error ? err.message : String(err);
    if (abi === undefined) {
      throw new Error(
        `node-abi does not know Electron ${version} (${why}), and neither does scripts/native-abi.mjs. ` +
          `Update node-abi (npm install -D node-abi@latest) or add Electron ${major}'s ABI to ELECTRON_ABI_FALLBACK in scripts/native-abi.mjs.`,
      );
    }
    return { abi, source: 'fallback table', note: `node-abi does not know Electron ${version}; using ABI ${abi} from ELECTRON_ABI_FALLBACK in scripts/native-abi.mjs` };
  }
}

/**
 * Checks an addon's bytes against the ABI it must have. `{ok: true, abi}` or `{ok: false, abi, message}`
 * where the message says what was found, what was wanted and what usually causes the difference.
 */
export function checkAbi(bytes, expected, what = 'the binary') {
  const abis = moduleAbis(bytes);
  if (abis.length === 0) {
    return { ok: false, abi: null, message: `${what} has no node_register_module_v<ABI> symbol: it is not a Node addon built with node.h (or it is damaged).` };
  }
  if (abis.length > 1) return { ok: false, abi: null, message: `${what} names several ABIs (${abis.join(', ')}); cannot tell which runtime it is for.` };
  const abi = abis[0];
  if (abi === expected) return { ok: true, abi, message: null };
  return {
    ok: false,
    abi,
    message: `${what} was built for ABI ${abi} (${describeAbi(abi)}), but it must be ${expected} (${describeAbi(expected)}).`,
  };
}

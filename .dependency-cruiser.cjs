/**
 * Module faces (STYLE.md: "each module has one index.ts as its public face"), enforced in `npm test`
 * by tests/integration/faces.test.ts. A module is a folder of src-engine/ or src-main/; from outside
 * it, only its index.ts may be imported. src-main sees the engine through src-engine/index.ts, the
 * renderer through src-engine/catalog.ts, and src-main's api only as types.
 */
module.exports = {
  forbidden: [
    {
      name: 'engine-module-face',
      comment: 'An engine module reaches another only through its index.ts.',
      severity: 'error',
      from: { path: '^src-engine/([^/]+)/' },
      to: { path: '^src-engine/[^/]+/', pathNot: ['^src-engine/$1/', '^src-engine/[^/]+/index\\.ts$'] },
    },
    {
      name: 'main-module-face',
      comment: 'A src-main module reaches another only through its index.ts.',
      severity: 'error',
      from: { path: '^src-main/([^/]+)/' },
      to: { path: '^src-main/[^/]+/', pathNot: ['^src-main/$1/', '^src-main/[^/]+/index\\.ts$'] },
    },
    {
      name: 'main-uses-engine-face',
      comment: 'src-main (and bench) import the engine through src-engine/index.ts.',
      severity: 'error',
      from: { path: '^(src-main|bench)/' },
      to: { path: '^src-engine/', pathNot: '^src-engine/index\\.ts$' },
    },
    {
      name: 'renderer-uses-catalog-face',
      comment: 'The renderer imports the engine only through its small catalog face.',
      severity: 'error',
      from: { path: '^src-renderer/' },
      to: { path: '^src-engine/', pathNot: '^src-engine/catalog\\.ts$' },
    },
    {
      name: 'renderer-uses-api-types',
      comment: 'The renderer knows src-main only as the api contract types, through src-main/api/index.ts.',
      severity: 'error',
      from: { path: '^src-renderer/' },
      to: { path: '^src-main/', pathNot: '^src-main/api/index\\.ts$' },
    },
    {
      name: 'renderer-api-types-only',
      comment: 'No runtime code of src-main in the renderer bundle.',
      severity: 'error',
      from: { path: '^src-renderer/' },
      to: { path: '^src-main/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'engine-is-pure',
      comment: 'The engine runs in workers, the renderer and the CLI: no node: imports, no Electron, no src-main.',
      severity: 'error',
      from: { path: '^src-engine/' },
      to: { path: '^(src-main|src-renderer)/|^(node:|electron$)', },
    },
    {
      name: 'no-runtime-cycles',
      severity: 'error',
      from: { path: '^src-' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|out|tests/fixtures)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.svelte', '.mjs', '.cjs', '.json'] },
  },
};

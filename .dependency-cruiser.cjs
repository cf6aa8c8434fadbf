/** Module boundaries (docs/adr/0005-module-boundaries.md). Run by `npm run lint`. */
module.exports = {
  forbidden: [
    {
      name: 'core-is-leaf',
      comment: 'The kernel (src/core) never depends on feature modules.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/modules/' },
    },
    {
      name: 'via-index-only',
      comment: "A module is reached only through its index.ts; never through another module's files.",
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/([^/]+)/', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'] },
    },
    {
      name: 'outside-via-index-only',
      comment: 'Code outside src/modules (composition roots, tests) reaches a module only through its index.ts.',
      severity: 'error',
      from: { path: '^(src|test)/', pathNot: ['^src/modules/', '^src/metadata\\.ts$'] },
      to: { path: '^src/modules/[^/]+/', pathNot: '^src/modules/[^/]+/index\\.ts$' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/metadata\\.ts$' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};

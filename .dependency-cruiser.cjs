// The layers of src/ and the rules between them (docs/ARCHITECTURE.md draws the same picture).
// `npm run lint:deps` checks them; CI fails on any violation.

/** Top to bottom: a module may import from its own layer's folder and from layers below, never above. */
const LAYERS = [
  ['app', 'jobs', 'entry'],
  ['reporting', 'inbound', 'preference-center'],
  ['privacy'],
  ['campaigns'],
  ['segments', 'templates', 'tracking'],
  ['delivery'],
  ['pressure'],
  ['suppressions'],
  ['contacts'],
  ['consent'],
  ['links'],
  ['workspace'],
  ['access'],
  ['audit'],
  ['channels'],
  ['http', 'pages', 'i18n', 'db', 'errors', 'config', 'deps'],
];

/** Domains: other folders may import only their index.ts. Infrastructure folders are imported file by file. */
const DOMAINS = LAYERS.slice(1, -1).flat();

const folder = (name) => `^src/${name}(/|\\.tsx?$)`;
const below = (i) => LAYERS.slice(i + 1).flat();
const above = (i) => LAYERS.slice(0, i).flat();

const layerRules = LAYERS.slice(1).map((layer, k) => {
  const i = k + 1;
  return {
    name: `layer-${layer.join('-')}`,
    comment: `${layer.join(', ')} may import only from ${below(i).join(', ')}`,
    severity: 'error',
    from: { path: layer.map(folder) },
    to: { path: above(i).map(folder) },
  };
});

// Folders of the same layer stay independent of each other.
const siblingRules = LAYERS.slice(1, -1).flatMap((layer) =>
  layer.length < 2 ? [] : layer.map((name) => ({
    name: `siblings-${name}`,
    comment: `${name} does not import from the other folders of its layer`,
    severity: 'error',
    from: { path: folder(name) },
    to: { path: layer.filter((other) => other !== name).map(folder) },
  })),
);

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Imports go one way; a cycle means two modules should be one, or one is in the wrong layer.',
      severity: 'error',
      from: { path: '^src/' },
      // Types alone (the Deps interface names transports and renderers) do not make a cycle at run time.
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'through-index',
      comment: 'Another domain is reached through its public index.ts, never through its repository or internals.',
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: {
        path: `^src/(${DOMAINS.join('|')})/`,
        // The Node entry alone may take the outbox and the webhook's checked POST (see node-only-outbox).
        pathNot: ['^src/$1/', `^src/(${DOMAINS.join('|')})/index\\.ts$`, '^src/channels/outbox\\.ts$', '^src/channels/webhook/safe-post\\.ts$'],
      },
    },
    {
      name: 'through-index-from-root',
      comment: 'The composition root (app.ts, jobs.ts, deps.ts) also uses the domains’ index.ts.',
      severity: 'error',
      from: { path: '^src/[^/]+\\.ts$' },
      to: { path: `^src/(${DOMAINS.join('|')})/`, pathNot: `^src/(${DOMAINS.join('|')})/index\\.ts$` },
    },
    {
      name: 'node-only-outbox',
      comment: 'The outbox writes files and the webhook POST checks DNS answers: only the Node entry may use them (the Worker has neither).',
      severity: 'error',
      from: { pathNot: ['^src/entry/node', '^src/channels/'] },
      to: { path: ['^src/channels/outbox\\.ts$', '^src/channels/webhook/safe-post\\.ts$'] },
    },
    {
      name: 'vendor-sdks-in-channels',
      comment: 'Only channel providers touch vendor SDKs.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/channels/' },
      to: { path: 'node_modules/@aws-sdk/' },
    },
    ...layerRules.map((r) => ({ ...r, to: { ...r.to, dependencyTypesNot: ['type-only'] } })),
    ...siblingRules.map((r) => ({ ...r, to: { ...r.to, dependencyTypesNot: ['type-only'] } })),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.tsx?$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.tsx', '.js'] },
  },
};

// The layers of src/ (docs/architecture.md), checked by `npm test` (`npm run lint:deps`).
// A folder imports only its own layer or lower ones, never a higher one, not
// even for a type: when a lower folder needs something from above, move that
// type or rule down. Folders of one layer import each other in one direction
// only (SAME_LAYER below). `npx depcruise src --output-type dot` draws the graph.

/** Lowest first. Each entry: the folders (or files) of the layer, and one line on what it holds. */
const LAYERS = [
  { paths: ['src/errors.ts', 'src/log.ts', 'src/types.ts', 'src/core/'], holds: 'errors, the logger, public types, domain types' },
  { paths: ['src/keys/', 'src/http/', 'src/freshness/', 'src/rules/', 'src/options/'], holds: 'pure rules: keys, HTTP, freshness, matching, options' },
  { paths: ['src/memory/', 'src/disk/', 'src/remote/', 'src/loopback/', 'src/browser/'], holds: 'the tiers and the browser plumbing' },
  { paths: ['src/engine/'], holds: 'resolve(): the tier chain, flights, back-fill' },
  { paths: ['src/route/', 'src/warm/', 'src/proxy/', 'src/sessions/'], holds: 'the ways in, and sessions' },
  { paths: ['src/cache/'], holds: 'the public BundleCache class' },
  { paths: ['src/test/', 'src/cli/'], holds: 'the fixture and reporter, the CLI' },
  { paths: ['src/index.ts'], holds: 'the package entry point' },
];

/**
 * Within a layer: which folders of the same layer each one may import. A
 * folder missing here imports none of its layer. Every arrow points one way.
 */
const SAME_LAYER = {
  // Layer 0: errors.ts, log.ts and types.ts import nothing from src/; core/ sits on them.
  'src/errors.ts': [],
  'src/log.ts': [],
  'src/types.ts': [],
  'src/core/': ['src/errors.ts', 'src/log.ts', 'src/types.ts'],
  // Layer 1, a chain: keys <- http <- freshness <- rules <- options.
  'src/http/': ['src/keys/'],
  'src/freshness/': ['src/keys/', 'src/http/'],
  'src/rules/': ['src/keys/', 'src/http/', 'src/freshness/'],
  'src/options/': ['src/keys/', 'src/http/', 'src/freshness/', 'src/rules/'],
  // Layer 2: the tiers never import one another; the loopback server keeps its certificate with disk's files and locks.
  'src/loopback/': ['src/disk/'],
  // Layer 4: warm() reuses the route's origin fetch over an APIRequestContext.
  'src/warm/': ['src/route/'],
};

/** Folders that drive a browser: the only ones that may import Playwright at run time. */
const DRIVES_A_BROWSER = ['src/loopback/', 'src/browser/', 'src/route/', 'src/warm/', 'src/sessions/', 'src/test/', 'src/cli/'];
/** Below layer 2 only the public types name Playwright's types; the public class takes a BrowserContext. */
const PLAYWRIGHT_TYPES_ONLY = ['src/types.ts', 'src/cache/'];
const PLAYWRIGHT = '^node_modules/(playwright|playwright-core|@playwright/[^/]+)/';

/** The published entry points (package.json "exports" and "bin"), which nothing in src/ imports. */
const ENTRY_POINTS = ['src/index.ts', 'src/test/index.ts', 'src/test/reporter.ts', 'src/cli/bin.ts'];

const pattern = path => `^${path.replace(/\./g, '\\.')}${path.endsWith('/') ? '' : '$'}`;
const names = paths => paths.map(path => path.replace(/^src\//, '').replace(/\/$/, '')).join(', ');

const layerRules = LAYERS.slice(0, -1).map((layer, index) => {
  const above = LAYERS.slice(index + 1).flatMap(higher => higher.paths);
  return {
    name: `layer-${index}-imports-nothing-above`,
    severity: 'error',
    comment: `Layer ${index} (${names(layer.paths)}: ${layer.holds}) imports only from layers 0 to ${index}; this import reaches a higher layer. `
      + `Not even a type may point up: move the type or rule it needs down to layer ${index} or below (layers: docs/architecture.md).`,
    from: { path: layer.paths.map(pattern) },
    to: { path: above.map(pattern) },
  };
});

const sameLayerRules = LAYERS.flatMap(layer => layer.paths.flatMap(path => {
  const allowed = SAME_LAYER[path] ?? [];
  const others = layer.paths.filter(other => other !== path && !allowed.includes(other));
  if (others.length === 0)
    return [];
  return [{
    name: `same-layer-${names([path])}`,
    severity: 'error',
    comment: `${names([path])} may import ${allowed.length ? names(allowed) : 'none'} of its own layer; `
      + `importing ${names(others)} would point an arrow the other way (SAME_LAYER in .dependency-cruiser.mjs, docs/architecture.md).`,
    from: { path: pattern(path) },
    to: { path: others.map(pattern) },
  }];
}));

export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Files import each other in a cycle. Fix: move what both need into a third file below them.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-cycles',
      severity: 'error',
      comment: 'Two folders import each other. Fix: decide which one is lower and move what it takes from the other down into it.',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    ...sameLayerRules,
    {
      name: 'sessions-take-attach',
      severity: 'error',
      comment: 'Sessions are built on an attach(context) function and disk\'s locks and files they are handed; '
        + 'they never import the engine (nor BundleCache or the route, which sit above or beside them).',
      from: { path: pattern('src/sessions/') },
      to: { path: pattern('src/engine/') },
    },
    {
      name: 'playwright-only-where-a-browser-is-driven',
      severity: 'error',
      comment: `Only ${names(DRIVES_A_BROWSER)} drive a browser and may import Playwright; ${names(PLAYWRIGHT_TYPES_ONLY)} may name its types `
        + '(import type). Everything else works without Playwright: take what you need from the caller instead.',
      from: { path: '^src/', pathNot: [...DRIVES_A_BROWSER, ...PLAYWRIGHT_TYPES_ONLY].map(pattern) },
      to: { path: PLAYWRIGHT },
    },
    {
      name: 'playwright-types-only',
      severity: 'error',
      comment: `${names(PLAYWRIGHT_TYPES_ONLY)} may import Playwright's types only: write \`import type\`.`,
      from: { path: PLAYWRIGHT_TYPES_ONLY.map(pattern) },
      to: { path: PLAYWRIGHT, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment: 'A file nothing imports and that imports nothing: delete it, or import it from where it belongs.',
      from: { orphan: true, pathNot: ENTRY_POINTS.map(pattern) },
      to: {},
    },
    {
      name: 'reachable-from-an-entry-point',
      severity: 'error',
      comment: `Nothing the package publishes (${names(ENTRY_POINTS)}) leads to this file: it is dead code. Delete it, or import it where it is used.`,
      from: { path: ENTRY_POINTS.map(pattern) },
      to: { path: '^src/', pathNot: ENTRY_POINTS.map(pattern), reachable: false },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a lower layer may not name a higher one's types either.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts'],
    },
  },
};

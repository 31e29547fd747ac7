/**
 * Import rules (issue 13 item 6), checked by `npm run check:imports` in .ci/run before the tests:
 * no import cycle anywhere, and the one-way layers
 *   server/domain  ←  storage, realtime  ←  ingest  ←  cluster  ←  rules, alerts, control, http …  ←  app.ts
 * with the dashboard (client/) and the simulators taking only server/domain from the server.
 * server/logger.ts is a leaf (pino only) that every layer may use.
 */

/** Sources the layer rules judge: product code, not the tests beside it (they may use any helper). */
const TESTS = '\\.test\\.ts$';
/**
 * A stage module (`*-module.ts`: startTelemetry, startRealtime…) is part of the composition root:
 * it builds its layer and hands it the ports of the stages before it, so it may name them.
 */
const STAGES = '-module\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: split the shared part into its own file that both sides import.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'project-imports-resolve',
      severity: 'error',
      comment: 'An import of the project (relative or @domain/) the check cannot resolve would escape every rule below.',
      from: {},
      to: { couldNotResolve: true, path: '^([.]|@domain/)' },
    },
    {
      name: 'domain-imports-only-domain',
      severity: 'error',
      comment: 'server/domain is the innermost layer: it imports nothing else of the project.',
      from: { path: '^server/domain/', pathNot: TESTS },
      to: { path: '^(server|client|simulators|scripts|tests|bench)/', pathNot: '^server/domain/' },
    },
    {
      name: 'logger-is-a-leaf',
      severity: 'error',
      comment: 'server/logger.ts may be used by every layer, so it imports nothing of the project.',
      from: { path: '^server/logger\\.ts$' },
      to: { path: '^(server|client|simulators|scripts|tests|bench)/' },
    },
    {
      name: 'storage-realtime-import-only-domain',
      severity: 'error',
      comment: 'server/storage and server/realtime import only server/domain, their own folder and the logger.',
      from: { path: '^server/(storage|realtime)/', pathNot: [TESTS, STAGES] },
      to: { path: '^(server|client|simulators|scripts|tests|bench)/', pathNot: ['^server/domain/', '^server/$1/', '^server/logger\\.ts$'] },
    },
    {
      name: 'ingest-stays-below-rules',
      severity: 'error',
      comment: 'Data flows ingest → pipeline → rules → alerts → realtime/http: ingest never imports those.',
      from: { path: '^server/ingest/', pathNot: TESTS },
      to: { path: '^server/(rules|alerts|realtime|http)/' },
    },
    {
      name: 'cluster-stays-below-rules',
      severity: 'error',
      comment:
        'server/cluster (partitions, leases, partition sessions) sits beside ingest: it takes the MQTT transport and the SQL layer, never rules, alerts, realtime or http.',
      from: { path: '^server/cluster/', pathNot: TESTS },
      to: { path: '^server/(rules|alerts|realtime|http|auth|registry|control|reports)/' },
    },
    {
      name: 'ingest-storage-know-no-cluster',
      severity: 'error',
      comment: 'Ownership is wired from above (a stage module): ingest and storage never import server/cluster.',
      from: { path: '^server/(ingest|storage|domain)/', pathNot: [TESTS, STAGES] },
      to: { path: '^server/cluster/' },
    },
    {
      name: 'client-simulators-import-only-domain',
      severity: 'error',
      comment: 'The dashboard and the simulators share only server/domain with the server.',
      from: { path: '^(client|simulators)/', pathNot: TESTS },
      to: { path: '^server/', pathNot: '^server/domain/' },
    },
    {
      name: 'auth-imports-no-http',
      severity: 'error',
      comment: 'server/auth is below server/http: HttpError belongs to no transport (issue 13 item 4).',
      from: { path: '^server/auth/', pathNot: TESTS },
      to: { path: '^server/http/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
    // `import type` counts: a type-only cycle is still a cycle in the design.
    tsPreCompilationDeps: true,
    // The server's settings plus the dashboard's @domain alias.
    tsConfig: { fileName: 'tsconfig.imports.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.d.ts', '.vue', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};

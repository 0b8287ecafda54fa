/**
 * The rooms and their allowed arrows (README: "Code layout"). Stages run crawl → fetch → extract → parse → load;
 * a stage imports shared/ and earlier stages, never a later stage, a queue payload (jobs/) or a front end (cli/, ui/).
 * ledger/ (the run ledger's pure rules: filters, re-checks, run counters, source health) reads the crawl's plain types
 * only; jobs/, cli/ and ui/ use it, and load/ for the health it judges and the checks it keeps.
 * Tests, fixtures and benches may reach further (they start simulators and queues).
 */
const notTests = '(\\.test\\.ts$|/fixtures/|test-server\\.ts$|test-support\\.ts$)';
const rooms = ['shared', 'config', 'crawlers', 'extract', 'transform', 'ledger', 'load', 'jobs', 'cli', 'ui', 'simulator', 'scripts'];
/** A room may import only itself and the rooms named in `allowed`. */
const allowOnly = (name, from, allowed) => ({
  name,
  severity: 'error',
  from: { path: `^${from}/`, pathNot: notTests },
  to: { path: `^(${rooms.filter((other) => other !== from && !allowed.includes(other)).join('|')})/` },
});

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'Rooms and files import each other one way only.',
      severity: 'error',
      from: { pathNot: notTests },
      to: { circular: true },
    },
    allowOnly('shared-is-basic', 'shared', []),
    allowOnly('config-is-plain', 'config', ['shared']),
    allowOnly('crawl-before-the-rest', 'crawlers', ['shared']),
    allowOnly('extract-after-crawl', 'extract', ['shared']),
    allowOnly('parse-after-extract', 'transform', ['extract', 'shared']),
    allowOnly('ledger-is-pure', 'ledger', ['crawlers', 'shared']),
    allowOnly('load-last', 'load', ['crawlers', 'extract', 'transform', 'ledger', 'shared']),
    allowOnly('jobs-only-wire', 'jobs', ['crawlers', 'extract', 'transform', 'ledger', 'load', 'config', 'shared']),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|data|docs)/' },
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.mjs', '.js', '.json'] },
  },
};

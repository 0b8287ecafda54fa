/**
 * The rooms and their allowed arrows (README: "Code layout"). Stages run crawl → fetch → extract → parse → load;
 * a stage imports shared/ and earlier stages, never a later stage, a queue payload (jobs/) or a front end (cli/, ui/).
 * ledger/ (the run ledger's pure rules: filters, re-checks, run counters, source health) reads the crawl's plain types
 * only; jobs/, cli/ and ui/ use it, and load/ for the health it judges and the checks it keeps.
 * Tests, fixtures and benches may reach further (they start simulators and queues).
 */
const notTests = '(\\.test\\.ts$|/fixtures/|test-server\\.ts$|test-support\\.ts$)';
const room = (name) => `^${name}/`;
const stageRule = (name, from, forbiddenRooms) => ({
  name,
  severity: 'error',
  from: { path: room(from), pathNot: notTests },
  to: { path: `^(${forbiddenRooms.join('|')})/` },
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
    stageRule('shared-is-basic', 'shared', [
      'crawlers',
      'extract',
      'transform',
      'load',
      'ledger',
      'jobs',
      'cli',
      'ui',
      'config',
      'simulator',
      'scripts',
    ]),
    stageRule('crawl-before-the-rest', 'crawlers', [
      'extract',
      'transform',
      'load',
      'ledger',
      'jobs',
      'cli',
      'ui',
      'config',
      'simulator',
      'scripts',
    ]),
    stageRule('extract-after-crawl', 'extract', [
      'crawlers',
      'transform',
      'load',
      'ledger',
      'jobs',
      'cli',
      'ui',
      'config',
      'simulator',
      'scripts',
    ]),
    stageRule('parse-after-extract', 'transform', ['crawlers', 'load', 'ledger', 'jobs', 'cli', 'ui', 'config', 'simulator', 'scripts']),
    stageRule('ledger-is-pure', 'ledger', ['extract', 'transform', 'load', 'jobs', 'cli', 'ui', 'config', 'simulator', 'scripts']),
    stageRule('load-last', 'load', ['jobs', 'cli', 'ui', 'config', 'simulator', 'scripts']),
    stageRule('jobs-only-wire', 'jobs', ['cli', 'ui', 'simulator', 'scripts']),
    stageRule('config-is-plain', 'config', [
      'crawlers',
      'extract',
      'transform',
      'load',
      'ledger',
      'jobs',
      'cli',
      'ui',
      'simulator',
      'scripts',
    ]),
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

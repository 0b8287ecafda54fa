/** The yangguang command line: wires config, queues and stages; the logic lives in the stages. */
import { readFileSync } from 'node:fs';
import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { loadConfig, type Config } from '../config/config.ts';
import { STAGES, type Stage } from '../jobs/payloads.ts';
import { configureLogger, LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from '../shared/logger.ts';
import { classifyCliError, describeCliError, UsageError } from './errors.ts';
import { printCompletion, COMPLETION_SHELLS } from './completion.ts';
import { runDoctor } from './doctor.ts';
import { runCancel } from './run-cancel.ts';
import { runCrawl, runWorker, type CrawlCommandOptions } from './crawl-and-worker.ts';
import { runReprocess, type ReprocessCommandOptions } from './reprocess.ts';
import { REPROCESS_STAGES } from '../jobs/reprocess.ts';
import { runDemo } from './demo.ts';
import { scheduleList, scheduleRemove, scheduleSet, type ScheduleSetOptions } from './schedule.ts';
import { parseLimit, runDiscover, type DiscoverCommandOptions } from './discover.ts';
import { checkSources, parseRegionPrefix, printSources, type ListSourcesOptions } from './sources.ts';
import { runSql, type OutputFormat } from './sql.ts';
import { runExport } from './export.ts';
import { runReview } from './review.ts';
import { runReport } from './report.ts';
import { printStatus } from './status.ts';
import { printNewUiToken, runUi } from './ui.ts';

const GOVERNMENT_LEVELS = ['province', 'prefecture', 'county'];

/** --region and --level: which national catalog entries a command picks. */
function regionOption(): Option {
  return new Option('--region <code>', 'national catalog entries whose GB/T 2260 code starts with this, e.g. 32 or 3208').argParser(
    parseRegionPrefix,
  );
}
function levelOption(): Option {
  return new Option('--level <level>', 'national catalog entries at this level').choices(GOVERNMENT_LEVELS);
}

// `yangguang sources list | head` closes our stdout early: that ends the command, it is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** The options every command takes (before or after the command's name). */
interface GlobalOptions {
  config?: string;
  logLevel?: LogLevel;
  logFormat: LogFormat;
  quiet?: boolean;
  verbose?: boolean;
  debug?: boolean;
}

const program = new Command()
  .name('yangguang')
  .description('Crawl 政府信息公开工作年度报告 from government portals, parse their statutory tables, load DuckDB.')
  .version(VERSION, '-V, --version', 'print the version')
  .option('-c, --config <file>', 'config file (JSON or YAML); default $YANGGUANG_CONFIG or ./yangguang.config.yaml')
  .addOption(new Option('--log-level <level>', 'least level of log lines (stderr)').choices(LOG_LEVELS))
  .addOption(new Option('--log-format <format>', 'log lines as compact text or JSON').choices(LOG_FORMATS).default('pretty'))
  .option('-q, --quiet', 'log warnings and errors only')
  .option('-v, --verbose', 'log debug lines too')
  .option('--debug', 'print the stack of an error')
  // Exit codes are ours (README): a usage mistake exits 2, not commander's 1.
  .exitOverride()
  .showHelpAfterError()
  .hook('preAction', (_program, command) => configureLogging(program.opts<GlobalOptions>(), command.name()));

/** Commands whose own output tells the story: their per-job lines only with --verbose or --log-level. */
const QUIET_BY_DEFAULT = new Set(['demo']);

function configureLogging(options: GlobalOptions, command: string): void {
  const fallback = QUIET_BY_DEFAULT.has(command) ? 'warn' : 'info';
  const level = options.logLevel ?? (options.quiet ? 'warn' : options.verbose ? 'debug' : fallback);
  configureLogger({ level, format: options.logFormat });
}

function config(): Config {
  return loadConfig({ file: program.opts<GlobalOptions>().config });
}

/** Runs a command and makes its result the process's exit code (undefined: 0). */
function exitWith<A extends unknown[]>(run: (...args: A) => Promise<number | void> | number | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const code = await run(...args);
    if (typeof code === 'number') process.exitCode = code;
  };
}

/** A number above 0 (seconds may have a fraction). */
function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('give a number above 0');
  return n;
}

/** A positive whole number option (--timeout, --concurrency). */
function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('give a whole number above 0');
  return n;
}

program
  .command('demo')
  .description('start the bundled demo portals, crawl them through the queues, load DuckDB and print a summary')
  .action(async () => runDemo(config()));

program
  .command('crawl')
  .description('start a crawl run over the given sources (workers do the work: see `worker`, or use --inline)')
  .option('--sources <file>', 'sources file: a JSON or YAML list of {id, name, startUrls, allowedHosts?, regionCode?, level?}')
  .option('--url <url...>', 'crawl these 年报 column URLs as one-off sources')
  .option('--catalog', 'crawl the national catalog (sources/national/portals.jsonl): the entries with discovered 年报 columns')
  .addOption(regionOption())
  .addOption(levelOption())
  .option('--wait', 'wait until the run is finished and print its summary')
  .option('--inline', 'run the workers in this process (implies --wait)')
  .option('--years <range>', 'backfill: only documents whose title names a year in this range, e.g. 2019-2024')
  .option('--types <kinds>', 'backfill: only documents of these kinds, e.g. pdf,html')
  .option('--recheck', 're-check every document, also those behind list pages that answered 304 (see recheckDocumentsDays)')
  .option('--dry-run', 'print the sources that would be crawled; queue nothing')
  .option('--timeout <secs>', 'with --wait: stop waiting after this many seconds (exit 1; the run goes on)', positiveInteger)
  .action(exitWith(async (options: CrawlCommandOptions) => runCrawl(config(), options)));

program
  .command('reprocess')
  .description('run extract, parse or load again over the archive (data/raw, DuckDB) as a new run; downloads nothing')
  .addOption(new Option('--stage <stage>', 'first stage to run again').choices(REPROCESS_STAGES).makeOptionMandatory())
  .option('--since <date>', 'only documents fetched since this date or timestamp')
  .option('--wait', 'wait until the run is finished and print its summary')
  .option('--inline', 'run the workers in this process (implies --wait)')
  .option('--timeout <secs>', 'with --wait: stop waiting after this many seconds (exit 1; the run goes on)', positiveInteger)
  .action(exitWith(async (options: ReprocessCommandOptions) => runReprocess(config(), options)));

program
  .command('run')
  .description('a run of the queues')
  .command('cancel')
  .argument('<run-id>', 'the run, as `crawl` printed it (or `status` shows it)')
  .description('cancel a run: remove its jobs not started yet; the jobs in hand finish and start nothing new')
  .action(exitWith(async (runId: string) => runCancel(config(), runId)));

program
  .command('worker')
  .description('process jobs until stopped (SIGTERM/SIGINT finish the jobs in hand, then exit)')
  .addOption(new Option('--queues <names>', `comma-separated stages (${STAGES.join(',')})`).default(STAGES.join(',')))
  .option(
    '--concurrency <n>',
    'extract and parse jobs in flight per stage (crawl and fetch: crawlJobConcurrency, fetchJobConcurrency; load is always 1)',
    positiveInteger,
    2,
  )
  .action(async (options: { queues: string; concurrency: number }) => {
    const stages = options.queues.split(',').map((name) => name.trim()) as Stage[];
    const unknown = stages.filter((stage) => !STAGES.includes(stage));
    if (unknown.length > 0) throw new UsageError(`unknown queue(s): ${unknown.join(', ')}; choose from ${STAGES.join(', ')}`);
    await runWorker(config(), { stages, concurrency: options.concurrency });
  });

const schedule = program
  .command('schedule')
  .description('crawl runs and catalog re-discoveries on a cron schedule (kept in Redis; survive restarts)');
schedule
  .command('set')
  .description('create or replace a schedule')
  .requiredOption('--cron <pattern>', 'cron pattern, e.g. "0 2 * * *"')
  .option('--tz <zone>', 'IANA time zone, e.g. Asia/Shanghai (default: the timezone setting, Asia/Shanghai)')
  .option('--sources <file>', 'sources file (JSON or YAML); default: every sources/*.yaml, unless --catalog or --discover')
  .addOption(
    new Option('--catalog', "crawl the national catalog's entries with discovered 年报 columns, as discovered when it fires").conflicts(
      'sources',
    ),
  )
  .addOption(
    new Option('--discover', "re-discover the national catalog's portals not ok, or found ok over 30 days ago").conflicts([
      'sources',
      'catalog',
    ]),
  )
  .addOption(regionOption().conflicts('sources'))
  .addOption(levelOption().conflicts('sources'))
  .option('--id <id>', 'schedule id', 'nightly')
  .action(async (options: ScheduleSetOptions) => scheduleSet(config(), options));
schedule
  .command('list')
  .description('list schedules, their time zone and next run (in the timezone setting)')
  .action(async () => scheduleList(config()));
schedule
  .command('rm')
  .argument('<id>', 'schedule id')
  .description('remove a schedule')
  .action(async (id: string) => scheduleRemove(config(), id));

program
  .command('sql')
  .description('run read-only SQL on the DuckDB file and print the result; with no query, an interactive shell')
  .argument('[query]', 'SQL, e.g. "select issuer, year from latest_reports"; omit for a shell reading stdin')
  .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'))
  .option('--timeout <seconds>', 'stop a query running longer than this (default: readerTimeoutSecs, 60)', positiveNumber)
  .action(async (query: string | undefined, options: { format: OutputFormat; timeout?: number }) =>
    runSql(config(), query, options.format, options.timeout),
  );

program
  .command('export')
  .description('write the views as Parquet or CSV, partitioned by year, for DuckDB, pandas or Polars')
  .addOption(new Option('--format <format>', 'file format').choices(['parquet', 'csv']).default('parquet'))
  .option('--out <dir>', 'output directory', 'data/export')
  .option('--excel', 'CSV with a UTF-8 byte order mark, so that Excel reads the Chinese names (implies --format csv)')
  .action(async (options: { format: 'parquet' | 'csv'; out: string; excel?: boolean }) => runExport(config(), options));

program
  .command('review')
  .description('list anomalies of the latest reports, or confirm/dismiss one (kept across re-parsing)')
  .argument('<action>', 'list | confirm | dismiss')
  .argument('[sha256]', 'the document (confirm, dismiss)')
  .argument('[anomaly-id]', 'e.g. t4_sum:review (confirm, dismiss)')
  .option('--note <text>', 'why (confirm, dismiss)')
  .option('--all', 'list reviewed anomalies too, not only open ones')
  .action(async (action: string, sha256: string | undefined, anomalyId: string | undefined, options: { note?: string; all?: boolean }) =>
    runReview(config(), { action, sha256, anomalyId, ...options }),
  );

program
  .command('report')
  .description('write a self-contained HTML page of charts over the warehouse')
  .option('--out <file>', 'HTML file to write', 'report.html')
  .action(async (options: { out: string }) => runReport(config(), options));

program
  .command('ui')
  .description('serve the queue UI (bull-board, runs, failed documents); 127.0.0.1 unless given a token (YANGGUANG_UI_TOKEN)')
  .option('--host <address>', 'address to listen on', '127.0.0.1')
  .option('--port <port>', 'port', '3000')
  .option('--new-token', 'print a strong random token for YANGGUANG_UI_TOKEN and exit')
  .action(async (options: { host: string; port: string; newToken?: boolean }) =>
    options.newToken ? printNewUiToken() : runUi(config(), { host: options.host, port: Number(options.port) }),
  );

const sources = program.command('sources').description('the national catalog of government portals, and sources files');
sources
  .command('check')
  .argument('[files...]', 'catalog (.jsonl) or sources files (default: sources/national/portals.jsonl and sources/*.yaml)')
  .description('validate the catalog and sources files; one line per problem, last `sources: entries=N errors=N`; exit 1 on any')
  .action(exitWith((files: string[]) => checkSources(files)));
sources
  .command('list')
  .description("list national catalog entries with their latest discovery's status and column count")
  .addOption(regionOption())
  .addOption(levelOption())
  .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
  .action(async (options: ListSourcesOptions) => printSources(config(), options));
sources
  .command('discover')
  .description(
    "find the 年报 columns of the catalog's portals and record them in the warehouse; one line per portal not ok, last `discover: portals=N ok=N …`",
  )
  .addOption(regionOption())
  .addOption(levelOption())
  .option('--limit <n>', 'discover at most this many portals', parseLimit)
  .option('--recheck', 'also portals found ok within the last 30 days')
  .action(async (options: DiscoverCommandOptions) => void (await runDiscover(config(), options)));

program
  .command('status')
  .description(
    "print the queues' counts and the last run's summary; exit 3 without Redis, 1 when the last run had failures or flagged sources",
  )
  .action(exitWith(async () => printStatus(config())));

program
  .command('doctor')
  .description('check what yangguang needs: Node, Redis (noeviction, AOF), Chromium, poppler, OCR data, the DuckDB file, disk space')
  .action(exitWith(async () => runDoctor(config())));

program
  .command('completion')
  .description('print a shell completion script: `source <(yangguang completion bash)`')
  .addArgument(new Argument('[shell]', 'the shell').choices(COMPLETION_SHELLS).default('bash'))
  .action((shell: string) => printCompletion(program, shell));

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander has printed the problem (or the help, or the version) already.
    process.exitCode = error.exitCode === 0 ? 0 : classifyCliError(error).exitCode;
  } else {
    console.error(`yangguang: ${describeCliError(error, program.opts<GlobalOptions>().debug === true)}`);
    process.exitCode = classifyCliError(error).exitCode;
  }
}

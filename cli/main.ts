/** The yangguang command line: wires config, queues and stages; the logic lives in the stages. */
import { Command, Option } from 'commander';
import { ConfigError, loadConfig, type Config } from '../config/config.ts';
import { STAGES, type Stage } from '../jobs/payloads.ts';
import { RedisUnavailableError } from '../jobs/redis.ts';
import { WarehouseError } from '../load/index.ts';
import { UiBindError } from '../ui/server.ts';
import { runCrawl, runWorker, type CrawlCommandOptions } from './crawl-and-worker.ts';
import { runReprocess, type ReprocessCommandOptions } from './reprocess.ts';
import { REPROCESS_STAGES, ReprocessError } from '../jobs/reprocess.ts';
import { DocumentFilterError } from '../jobs/document-filter.ts';
import { runDemo } from './demo.ts';
import { scheduleList, scheduleRemove, scheduleSet, type ScheduleSetOptions } from './schedule.ts';
import { parseLimit, runDiscover, type DiscoverCommandOptions } from './discover.ts';
import { checkSources, parseRegionPrefix, printSources, type ListSourcesOptions } from './sources.ts';
import { runSql, type OutputFormat } from './sql.ts';
import { runExport } from './export.ts';
import { runReview } from './review.ts';
import { runReport } from './report.ts';
import { printStatus } from './status.ts';
import { runUi } from './ui.ts';

const GOVERNMENT_LEVELS = ['province', 'prefecture', 'county'];

/** --region and --level: which national catalog entries a command picks. */
function regionOption(): Option {
  return new Option('--region <code>', 'national catalog entries whose GB/T 2260 code starts with this, e.g. 32 or 3208').argParser(parseRegionPrefix);
}
function levelOption(): Option {
  return new Option('--level <level>', 'national catalog entries at this level').choices(GOVERNMENT_LEVELS);
}

// `yangguang sources list | head` closes our stdout early: that ends the command, it is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const program = new Command()
  .name('yangguang')
  .description('Crawl 政府信息公开工作年度报告 from government portals, parse their statutory tables, load DuckDB.')
  .option('-c, --config <file>', 'config file (JSON or YAML); default $YANGGUANG_CONFIG or ./yangguang.config.yaml')
  .showHelpAfterError();

function config(): Config {
  return loadConfig({ file: program.opts<{ config?: string }>().config });
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
  .action(async (options: CrawlCommandOptions) => runCrawl(config(), options));

program
  .command('reprocess')
  .description('run extract, parse or load again over the archive (data/raw, DuckDB) as a new run; downloads nothing')
  .addOption(new Option('--stage <stage>', 'first stage to run again').choices(REPROCESS_STAGES).makeOptionMandatory())
  .option('--since <date>', 'only documents fetched since this date or timestamp')
  .option('--wait', 'wait until the run is finished and print its summary')
  .option('--inline', 'run the workers in this process (implies --wait)')
  .action(async (options: ReprocessCommandOptions) => runReprocess(config(), options));

program
  .command('worker')
  .description('process jobs until stopped (SIGTERM/SIGINT finish the jobs in hand, then exit)')
  .addOption(new Option('--queues <names>', `comma-separated stages (${STAGES.join(',')})`).default(STAGES.join(',')))
  .option('--concurrency <n>', 'extract and parse jobs in flight per stage (crawl and fetch: crawlJobConcurrency, fetchJobConcurrency; load is always 1)', '2')
  .action(async (options: { queues: string; concurrency: string }) => {
    const stages = options.queues.split(',').map((name) => name.trim()) as Stage[];
    const unknown = stages.filter((stage) => !STAGES.includes(stage));
    if (unknown.length > 0) throw new UsageError(`unknown queue(s): ${unknown.join(', ')}; choose from ${STAGES.join(', ')}`);
    await runWorker(config(), { stages, concurrency: Number(options.concurrency) });
  });

const schedule = program.command('schedule').description('crawl runs and catalog re-discoveries on a cron schedule (kept in Redis; survive restarts)');
schedule
  .command('set')
  .description('create or replace a schedule')
  .requiredOption('--cron <pattern>', 'cron pattern, e.g. "0 2 * * *"')
  .option('--tz <zone>', 'IANA time zone, e.g. Asia/Shanghai')
  .option('--sources <file>', 'sources file (JSON or YAML); default: every sources/*.yaml, unless --catalog or --discover')
  .addOption(new Option('--catalog', "crawl the national catalog's entries with discovered 年报 columns, as discovered when it fires").conflicts('sources'))
  .addOption(new Option('--discover', "re-discover the national catalog's portals not ok, or found ok over 30 days ago").conflicts(['sources', 'catalog']))
  .addOption(regionOption().conflicts('sources'))
  .addOption(levelOption().conflicts('sources'))
  .option('--id <id>', 'schedule id', 'nightly')
  .action(async (options: ScheduleSetOptions) => scheduleSet(config(), options));
schedule.command('list').description('list schedules and their next run').action(async () => scheduleList(config()));
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
  .action(async (query: string | undefined, options: { format: OutputFormat }) => runSql(config(), query, options.format));

program
  .command('export')
  .description('write the views as Parquet or CSV, partitioned by year, for DuckDB, pandas or Polars')
  .addOption(new Option('--format <format>', 'file format').choices(['parquet', 'csv']).default('parquet'))
  .option('--out <dir>', 'output directory', 'data/export')
  .action(async (options: { format: 'parquet' | 'csv'; out: string }) => runExport(config(), options));

program
  .command('review')
  .description('list anomalies of the latest reports, or confirm/dismiss one (kept across re-parsing)')
  .argument('<action>', 'list | confirm | dismiss')
  .argument('[sha256]', 'the document (confirm, dismiss)')
  .argument('[anomaly-id]', 'e.g. t4_sum:review (confirm, dismiss)')
  .option('--note <text>', 'why (confirm, dismiss)')
  .option('--all', 'list reviewed anomalies too, not only open ones')
  .action(async (action: string, sha256: string | undefined, anomalyId: string | undefined, options: { note?: string; all?: boolean }) =>
    runReview(config(), { action, sha256, anomalyId, ...options }));

program
  .command('report')
  .description('write a self-contained HTML page of charts over the warehouse')
  .option('--out <file>', 'HTML file to write', 'report.html')
  .action(async (options: { out: string }) => runReport(config(), options));

program
  .command('ui')
  .description('serve the queue UI (bull-board, runs, failed documents); 127.0.0.1 unless given a token')
  .option('--host <address>', 'address to listen on', '127.0.0.1')
  .option('--port <port>', 'port', '3000')
  .action(async (options: { host: string; port: string }) => runUi(config(), { host: options.host, port: Number(options.port) }));

const sources = program.command('sources').description('the national catalog of government portals, and sources files');
sources
  .command('check')
  .argument('[files...]', 'catalog (.jsonl) or sources files (default: sources/national/portals.jsonl and sources/*.yaml)')
  .description('validate the catalog and sources files; one line per problem, last `sources: entries=N errors=N`; exit 1 on any')
  .action((files: string[]) => void (process.exitCode = checkSources(files)));
sources
  .command('list')
  .description("list national catalog entries with their latest discovery's status and column count")
  .addOption(regionOption())
  .addOption(levelOption())
  .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
  .action(async (options: ListSourcesOptions) => printSources(config(), options));
sources
  .command('discover')
  .description("find the 年报 columns of the catalog's portals and record them in the warehouse; one line per portal not ok, last `discover: portals=N ok=N …`")
  .addOption(regionOption())
  .addOption(levelOption())
  .option('--limit <n>', 'discover at most this many portals', parseLimit)
  .option('--recheck', 'also portals found ok within the last 30 days')
  .action(async (options: DiscoverCommandOptions) => void (await runDiscover(config(), options)));

program
  .command('status')
  .description("print the queues' counts and the last run's summary")
  .action(async () => printStatus(config()));

class UsageError extends Error {}

try {
  await program.parseAsync();
} catch (error) {
  const known =
    error instanceof ConfigError || error instanceof RedisUnavailableError || error instanceof UsageError || error instanceof UiBindError || error instanceof WarehouseError ||
    error instanceof DocumentFilterError || error instanceof ReprocessError;
  console.error(`yangguang: ${known ? (error as Error).message : (error as Error).stack ?? String(error)}`);
  process.exitCode = known ? 2 : 1;
}

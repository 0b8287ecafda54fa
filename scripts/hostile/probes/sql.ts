/**
 * The SQL console (`yangguang sql`) as a curious or careless user drives it (issue #14, hole 6, and the file access
 * refused before it): every file function on a secret outside the data directory, writes and attachments, a cross
 * join and a huge count(distinct …) against the reader's time and memory limits, an empty statement. Each runs the
 * real CLI as its own process; a refusal is a non-zero exit with a clear message, within time and memory.
 */
import { withWarehouse } from '../../../load/warehouse.ts';
import { accepted, leaked, refused, type Probe, type ProbeContext, type ProbeResult } from '../probe.ts';
import { runYangguang } from '../support.ts';

/** The reader limits the probes run under: small, so a runaway query is stopped quickly. */
const LIMITS = { YANGGUANG_READER_TIMEOUT_SECS: '5', YANGGUANG_READER_MEMORY_LIMIT_MB: '512' };
/** Past this the query counts as unbounded: the limits did not hold. */
const MAX_RSS_MB = 1536;

/** Runs one query on a fresh warehouse and judges the answer with `judge` (after the common checks). */
async function runQuery(context: ProbeContext, query: string, judge: (output: string) => ProbeResult): Promise<ProbeResult> {
  await withWarehouse(context.config.duckdbPath, async () => undefined);
  const run = await runYangguang(context, ['sql', query], { env: LIMITS, timeoutSecs: 40, maxRssMb: MAX_RSS_MB });
  context.log(`exit ${run.code ?? run.signal}${run.killedFor ? ` (killed: ${run.killedFor})` : ''}: ${run.output.trim().slice(-300)}`);
  if (run.output.includes(context.canary)) return leaked('the secret outside the data directory was printed');
  if (run.killedFor === 'time') return accepted('still running after 40 s: no statement timeout');
  if (run.killedFor === 'memory') return accepted(`grew past ${MAX_RSS_MB} MB: no memory limit`);
  if (run.signal) return accepted(`the console died (${run.signal})`);
  if (/native callback|unexpected/i.test(run.output)) return accepted(`an unexplained error: ${lastLine(run.output)}`);
  return judge(run.output) ?? accepted(lastLine(run.output));
}

const lastLine = (output: string) => output.trim().split('\n').at(-1)?.slice(0, 200) ?? '';

/** A file function must be refused with the console's one wording for file access. */
function fileProbe(name: string, query: (context: ProbeContext) => string): Probe {
  return {
    name,
    boundary: 'sql',
    description: `\`yangguang sql\` with ${name.replace(/^sql-/, '')} of a secret outside the data directory`,
    timeoutSecs: 60,
    run: (context) =>
      runQuery(context, query(context), (output) =>
        /file and network access is disabled in the SQL console/.test(output)
          ? refused(lastLine(output))
          : accepted(`not the file-access refusal: ${lastLine(output)}`),
      ),
  };
}

/** A statement kind the console refuses by name. */
function statementProbe(name: string, query: (context: ProbeContext) => string): Probe {
  return {
    name,
    boundary: 'sql',
    description: `\`yangguang sql\` with ${name.replace(/^sql-/, '')}`,
    timeoutSecs: 60,
    run: (context) =>
      runQuery(context, query(context), (output) =>
        /refused|disabled/.test(output) ? refused(lastLine(output)) : accepted(lastLine(output)),
      ),
  };
}

/** A query that would run away: refused when the console stops it with a message naming the limit. */
function limitProbe(name: string, description: string, query: string, limit: RegExp): Probe {
  return {
    name,
    boundary: 'sql',
    description,
    timeoutSecs: 60,
    run: (context) =>
      runQuery(context, query, (output) =>
        limit.test(output) ? refused(lastLine(output)) : accepted(`stopped, but not by a named limit: ${lastLine(output)}`),
      ),
  };
}

const quoted = (text: string) => `'${text.replaceAll("'", "''")}'`;

export const probes: Probe[] = [
  fileProbe('sql-read-csv', (c) => `select * from read_csv(${quoted(c.secretPath)}, header = false)`),
  fileProbe('sql-read-csv-etc-passwd', () => "select * from read_csv('/etc/passwd', header = false)"),
  fileProbe('sql-read-parquet', (c) => `select * from read_parquet(${quoted(c.secretPath)})`),
  fileProbe('sql-read-json', (c) => `select * from read_json(${quoted(c.secretPath)})`),
  fileProbe('sql-read-text', (c) => `select * from read_text(${quoted(c.secretPath)})`),
  fileProbe('sql-read-blob', (c) => `select * from read_blob(${quoted(c.secretPath)})`),
  fileProbe('sql-glob', () => "select * from glob('/etc/*')"),
  fileProbe('sql-replacement-scan', (c) => `select * from ${quoted(c.secretPath)}`),
  statementProbe('sql-copy-to-outside', (c) => `copy (select 1) to ${quoted(`${c.outsideDir}/out.csv`)}`),
  statementProbe('sql-attach-outside', (c) => `attach ${quoted(`${c.outsideDir}/other.duckdb`)} as other`),
  statementProbe('sql-set-external-access', () => 'set enable_external_access = true'),
  limitProbe(
    'sql-cross-join',
    'a cross join of two billion-row ranges',
    'select count(*) from range(1000000000) a, range(1000000000) b',
    /time|timeout|interrupt|memory/i,
  ),
  limitProbe(
    'sql-huge-count-distinct',
    'a count(distinct …) over three billion values',
    'select count(distinct i) from range(3000000000) t(i)',
    /memory|time|timeout|interrupt/i,
  ),
  limitProbe('sql-empty-statement', 'an empty statement', ';', /no statement|empty/i),
];

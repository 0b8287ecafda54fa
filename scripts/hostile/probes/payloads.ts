/**
 * Job payloads arriving through Redis (issue #14, hole 1): paths outside the data directory, hashes that climb,
 * URLs of other schemes or with credentials, unknown job names. Each must fail at once as INVALID_JOB, be recorded
 * in the failures table, and touch no file.
 */
import path from 'node:path';
import { dataLayout, extractedPath, rawPath } from '../../../config/data-layout.ts';
import { LOAD_JOB, type Stage } from '../../../jobs/payloads.ts';
import { SCHEDULED_RUN_JOB } from '../../../jobs/schedules.ts';
import { accepted, refused, type Probe, type ProbeContext } from '../probe.ts';
import { addHostileJob, startPipeline, waitForFailureRows } from '../support.ts';

const SHA = 'c0ffee'.padEnd(64, '0');
const RUN = 'hostile-run';

/** A fetched document as fetch would pass it on, with `changes` applied. */
function fetched(context: ProbeContext, changes: Record<string, unknown> = {}) {
  return {
    sourceId: 'hostile',
    url: 'http://127.0.0.1:9/report.pdf',
    finalUrl: 'http://127.0.0.1:9/report.pdf',
    title: '2024年政府信息公开工作年度报告',
    publishedAt: null,
    fetchedAt: new Date().toISOString(),
    status: 200,
    contentType: 'application/pdf',
    sha256: SHA,
    byteLength: 1000,
    archivePath: rawPath(dataLayout(context.dataDir), SHA),
    etag: null,
    lastModified: null,
    ...changes,
  };
}

const source = (startUrls: string[]) => ({ id: 'hostile', name: '某县人民政府', startUrls, allowedHosts: ['127.0.0.1'] });

interface InvalidJobCase {
  name: string;
  description: string;
  stage: Stage;
  jobName?: string;
  data(context: ProbeContext): unknown | Promise<unknown>;
}

/** Puts the job on its queue and wants: failed on the first attempt as INVALID_JOB, and a failures row saying so. */
function invalidJobProbe(spec: InvalidJobCase): Probe {
  return {
    name: spec.name,
    boundary: 'payloads',
    description: spec.description,
    timeoutSecs: 45,
    async run(context) {
      // The stage under attack, and the loader that records its failure.
      const { pipeline } = await startPipeline(context, context.config, [...new Set<Stage>([spec.stage, 'load'])]);
      const end = await addHostileJob(context, pipeline, spec.stage, spec.jobName ?? spec.stage, await spec.data(context));
      context.log(`job ${end.state} after ${end.attempts} attempt(s): ${end.reason}`);
      if (end.state !== 'failed') return accepted(`the ${spec.stage} job completed`);
      if (!end.reason.startsWith('INVALID_JOB')) return accepted(`failed, but not as INVALID_JOB: ${end.reason}`);
      if (end.attempts > 1) return accepted(`INVALID_JOB was retried (${end.attempts} attempts)`);
      const rows = await waitForFailureRows(context, 'INVALID_JOB');
      return refused(`INVALID_JOB at once, recorded under run ${rows[0]!.run_id}: ${end.reason.slice(0, 160)}`);
    },
  };
}

const cases: InvalidJobCase[] = [
  {
    name: 'payload-extract-archive-outside-and-climbing-hash',
    description:
      "an extract job whose archivePath is a secret outside the data directory and whose sha256 climbs out of data/extracted (issue #14's reproduction)",
    stage: 'extract',
    data: (context) => ({ runId: RUN, fetched: fetched(context, { archivePath: context.secretPath, sha256: '../../outside/x' }) }),
  },
  {
    name: 'payload-extract-foreign-archive-path',
    description: 'a well-formed sha256 with an archivePath that is not data/raw/<sha256>',
    stage: 'extract',
    data: (context) => ({ runId: RUN, fetched: fetched(context, { archivePath: context.secretPath }) }),
  },
  {
    name: 'payload-extract-archive-path-climbs',
    description: 'an archivePath under data/raw that climbs out with ../',
    stage: 'extract',
    data: (context) => ({
      runId: RUN,
      fetched: fetched(context, { archivePath: path.join(dataLayout(context.dataDir).rawDir, '..', '..', 'outside', 'secret.txt') }),
    }),
  },
  {
    name: 'payload-extract-part-outside',
    description: "a multi-page article whose second part's archivePath is outside the data directory",
    stage: 'extract',
    data: (context) => {
      const first = {
        url: 'http://127.0.0.1:9/t1.html',
        sha256: SHA,
        byteLength: 10,
        archivePath: rawPath(dataLayout(context.dataDir), SHA),
        contentType: 'text/html',
      };
      const second = { ...first, url: 'http://127.0.0.1:9/t1_1.html', sha256: 'b'.repeat(64), archivePath: context.secretPath };
      return { runId: RUN, fetched: fetched(context, { parts: [first, second] }) };
    },
  },
  {
    name: 'payload-extract-uppercase-hash',
    description: 'a sha256 that is not 64 lower-case hex digits',
    stage: 'extract',
    data: (context) => ({
      runId: RUN,
      fetched: fetched(context, { sha256: SHA.toUpperCase(), archivePath: rawPath(dataLayout(context.dataDir), SHA.toUpperCase()) }),
    }),
  },
  {
    name: 'payload-parse-extracted-outside',
    description: 'a parse job whose extractedPath is a file outside the data directory',
    stage: 'parse',
    data: (context) => ({ runId: RUN, fetched: fetched(context), extractedPath: context.secretPath }),
  },
  {
    name: 'payload-parse-extracted-of-another-document',
    description: "a parse job whose extractedPath is another document's file in data/extracted",
    stage: 'parse',
    data: (context) => ({
      runId: RUN,
      fetched: fetched(context),
      extractedPath: extractedPath(dataLayout(context.dataDir), 'd'.repeat(64), 'pdf-3'),
    }),
  },
  {
    name: 'payload-load-parsed-outside',
    description: 'a load job whose parsedPath is a file outside the data directory',
    stage: 'load',
    jobName: LOAD_JOB.document,
    data: (context) => ({
      runId: RUN,
      fetched: fetched(context),
      extractedPath: extractedPath(dataLayout(context.dataDir), SHA, 'pdf-3'),
      parsedPath: context.secretPath,
    }),
  },
  {
    name: 'payload-fetch-file-url',
    description: 'a fetch job for a file: URL of the secret',
    stage: 'fetch',
    data: (context) => ({
      runId: RUN,
      document: {
        sourceId: 'hostile',
        url: `file://${context.secretPath}`,
        title: 'x',
        kindHint: 'pdf',
        foundOn: 'http://127.0.0.1:9/',
        publishedAt: null,
      },
    }),
  },
  {
    name: 'payload-fetch-url-with-credentials',
    description: 'a fetch job for a URL carrying user:password@ (refused before any request)',
    stage: 'fetch',
    data: async (context) => {
      const server = await context.serve((_request, response) => response.end('%PDF-1.4'));
      context.defer(() => {
        if (server.requests().length > 0) throw new Error(`the server got ${server.requests().join(', ')}`);
      });
      const url = server.url.replace('http://', 'http://admin:secret@') + '/report.pdf';
      return {
        runId: RUN,
        document: { sourceId: 'hostile', url, title: 'x', kindHint: 'pdf', foundOn: server.url + '/', publishedAt: null },
      };
    },
  },
  {
    name: 'payload-crawl-javascript-start-url',
    description: 'a crawl job whose source starts at a javascript: URL',
    stage: 'crawl',
    data: () => ({ runId: RUN, source: source(['javascript:alert(1)']) }),
  },
  {
    name: 'payload-crawl-file-start-url',
    description: 'a crawl job whose source starts at file:///etc/passwd',
    stage: 'crawl',
    data: () => ({ runId: RUN, source: source(['file:///etc/passwd']) }),
  },
  {
    name: 'payload-crawl-source-id-climbs',
    description: 'a crawl job whose source id is a path (../../outside/x)',
    stage: 'crawl',
    data: () => ({ runId: RUN, source: { ...source(['http://127.0.0.1:9/']), id: '../../outside/x' } }),
  },
  {
    name: 'payload-run-id-climbs',
    description: 'an extract job whose runId is a path; recorded under the invalid-jobs run',
    stage: 'extract',
    data: (context) => ({ runId: '../../outside/run', fetched: fetched(context) }),
  },
  {
    name: 'payload-not-an-object',
    description: 'a job whose data is a bare string',
    stage: 'parse',
    data: () => 'cat /etc/passwd',
  },
  {
    name: 'payload-unknown-job-name',
    description: "a job of a name its queue does not take (what bull-board's add-job would create)",
    stage: 'extract',
    jobName: 'add',
    data: (context) => ({ runId: RUN, fetched: fetched(context) }),
  },
  {
    name: 'payload-failure-record-forged',
    description: 'a record-failure job with an unknown stage and a forged code',
    stage: 'load',
    jobName: LOAD_JOB.failure,
    data: () => ({
      runId: RUN,
      stage: 'admin',
      url: 'http://127.0.0.1:9/',
      sha256: null,
      sourceId: null,
      code: "X'); drop table failures; --",
      reason: 'x',
    }),
  },
  {
    name: 'payload-scheduled-run-catalog-file',
    description: 'a scheduler firing whose catalog file is the secret outside the data directory',
    stage: 'crawl',
    jobName: SCHEDULED_RUN_JOB,
    data: (context) => ({ scheduleId: 'nightly', kind: 'catalog', catalog: { region: '32' }, catalogFile: context.secretPath }),
  },
];

export const probes: Probe[] = cases.map(invalidJobProbe);

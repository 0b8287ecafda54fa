/**
 * The queue UI as a hostile web page or a guessing client would drive it (issue #14, hole 2): bull-board's add-job,
 * edit, empty and obliterate routes, DNS rebinding, cross-site and text/plain posts, a browser's cached basic-auth password, weak tokens,
 * token guessing. A refusal is a 4xx naming why, with no job added or changed.
 */
import { request as httpRequest } from 'node:http';
import { generateUiToken } from '../../../config/ui-token.ts';
import { openPipeline, type Pipeline } from '../../../jobs/pipeline.ts';
import { startUi } from '../../../ui/server.ts';
import { accepted, refused, type Probe, type ProbeContext, type ProbeResult } from '../probe.ts';

interface Answer {
  status: number;
  body: string;
}

/** A raw request: fetch will not send a forged Host or Origin. */
function send(
  base: string,
  target: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(new URL(target, base), { method: options.method ?? 'GET', headers: options.headers ?? {} }, (incoming) => {
      let body = '';
      incoming.on('data', (chunk: Buffer) => (body += chunk.toString()));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, body: body.trim() }));
    });
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

interface Ui {
  url: string;
  pipeline: Pipeline;
}

async function openUi(context: ProbeContext, options: { token?: string } = {}): Promise<Ui> {
  const pipeline = await openPipeline(context.config);
  context.defer(() => pipeline.close());
  // With a token on 127.0.0.2: the token rule holds on any address, and a probe never listens on every interface.
  const ui = await startUi(pipeline, { port: 0, ...(options.token ? { host: '127.0.0.2', token: options.token } : {}) });
  context.defer(() => ui.close());
  return { url: ui.url, pipeline };
}

/** Every queue's job count: a refused request leaves them all at zero. */
async function jobsIn(pipeline: Pipeline): Promise<number> {
  const counts = await Promise.all(Object.values(pipeline.queues).map((queue) => queue.count()));
  return (
    counts.reduce((sum, count) => sum + count, 0) +
    (await Promise.all(Object.values(pipeline.queues).map((queue) => queue.getFailedCount()))).reduce((a, b) => a + b, 0)
  );
}

/** Refused when the answer has `status` and no job appeared. */
async function expectRefusal(ui: Ui, answer: Answer, status: number): Promise<ProbeResult> {
  const jobs = await jobsIn(ui.pipeline);
  if (jobs > 0) return accepted(`a job was added (HTTP ${answer.status}: ${answer.body.slice(0, 100)})`);
  if (answer.status !== status) return accepted(`answered ${answer.status}, not ${status}: ${answer.body.slice(0, 160)}`);
  return refused(`HTTP ${answer.status}: ${answer.body.slice(0, 160)}`);
}

const addJob = JSON.stringify({
  name: 'extract',
  data: { runId: 'x', fetched: { archivePath: '/etc/passwd', sha256: '../../../../outside/x' } },
});
const ADD = '/queues/api/queues/extract/add';

function uiProbe(name: string, description: string, run: (context: ProbeContext) => Promise<ProbeResult>): Probe {
  return { name, boundary: 'ui', description, timeoutSecs: 30, run };
}

/** A same-origin PUT to a bull-board route that would delete the queue's jobs: refused (403) with a waiting job kept. */
function wipeProbe(name: string, description: string, target: string): Probe {
  return uiProbe(name, description, async (context) => {
    const ui = await openUi(context);
    const queue = ui.pipeline.queues.fetch;
    await queue.add('fetch', { runId: 'hostile' }, { jobId: 'hostile-queued', delay: 3_600_000 });
    const answer = await send(ui.url, `/queues/api/queues/fetch/${target}`, {
      method: 'PUT',
      headers: { origin: ui.url, 'sec-fetch-site': 'same-origin' },
    });
    const kept = (await queue.getJobState('hostile-queued')) === 'delayed';
    await queue.obliterate({ force: true });
    if (!kept) return accepted(`the queued job was deleted (HTTP ${answer.status}: ${answer.body.slice(0, 100)})`);
    if (answer.status !== 403) return accepted(`answered ${answer.status}, not 403: ${answer.body.slice(0, 160)}`);
    return refused(`HTTP ${answer.status}, the queued job kept: ${answer.body.slice(0, 160)}`);
  });
}

export const probes: Probe[] = [
  uiProbe('ui-add-job-same-origin', "bull-board's add-job API, called as the UI's own page would", async (context) => {
    const ui = await openUi(context);
    const answer = await send(ui.url, ADD, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ui.url, 'sec-fetch-site': 'same-origin' },
      body: addJob,
    });
    return expectRefusal(ui, answer, 403);
  }),
  uiProbe('ui-add-job-cross-site-form', 'a form on another site posting to the add-job API', async (context) => {
    const ui = await openUi(context);
    const answer = await send(ui.url, ADD, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://attacker.example', 'sec-fetch-site': 'cross-site' },
      body: 'name=extract',
    });
    return expectRefusal(ui, answer, 403);
  }),
  uiProbe('ui-add-job-text-plain', 'a text/plain POST (no CORS preflight) carrying JSON to the add-job API', async (context) => {
    const ui = await openUi(context);
    const answer = await send(ui.url, ADD, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: addJob });
    return expectRefusal(ui, answer, 403);
  }),
  uiProbe('ui-dns-rebinding', 'a page whose own host name now resolves to 127.0.0.1 reading the queues', async (context) => {
    const ui = await openUi(context);
    const port = new URL(ui.url).port;
    const answer = await send(ui.url, '/queues/api/queues', { headers: { host: `rebind.attacker.example:${port}` } });
    return expectRefusal(ui, answer, 421);
  }),
  uiProbe('ui-cross-origin-clean', 'another origin asking to clean every failed job', async (context) => {
    const ui = await openUi(context);
    const answer = await send(ui.url, '/queues/api/queues/fetch/clean/failed', {
      method: 'PUT',
      headers: { origin: 'http://attacker.example' },
    });
    return expectRefusal(ui, answer, 403);
  }),
  uiProbe('ui-cross-site-fetch-metadata', 'a cross-site request that sends no Origin but Sec-Fetch-Site: cross-site', async (context) => {
    const ui = await openUi(context);
    const answer = await send(ui.url, '/queues/api/queues/fetch/retry/failed', {
      method: 'PUT',
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    return expectRefusal(ui, answer, 403);
  }),
  uiProbe('ui-form-post-to-api', 'an urlencoded form body sent to the JSON API from no origin', async (context) => {
    const ui = await openUi(context);
    const answer = await send(ui.url, '/queues/api/queues/fetch/retry/failed', {
      method: 'PUT',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    });
    return expectRefusal(ui, answer, 415);
  }),
  uiProbe(
    'ui-cached-basic-auth-cross-site',
    "another site's request riding on the browser's cached basic-auth password",
    async (context) => {
      const token = generateUiToken();
      const ui = await openUi(context, { token });
      const basic = `Basic ${Buffer.from(`admin:${token}`).toString('base64')}`;
      const answer = await send(ui.url, '/queues/api/queues/fetch/retry/failed', {
        method: 'PUT',
        headers: { authorization: basic, origin: 'http://attacker.example', 'sec-fetch-site': 'cross-site' },
      });
      return expectRefusal(ui, answer, 403);
    },
  ),
  uiProbe('ui-update-job-data', "bull-board's edit-data route rewriting a queued job's payload", async (context) => {
    const ui = await openUi(context);
    const job = await ui.pipeline.queues.parse.add('parse', { runId: 'hostile' }, { jobId: 'hostile-edit', delay: 3_600_000 });
    const answer = await send(ui.url, `/queues/api/queues/parse/${job.id}/update-data`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', origin: ui.url },
      body: JSON.stringify({ jobData: { runId: 'x', extractedPath: '/etc/passwd' } }),
    });
    const data = (await ui.pipeline.queues.parse.getJob(job.id!))?.data as { runId?: string } | undefined;
    await job.remove();
    if (data?.runId !== 'hostile') return accepted(`the job's data was rewritten (HTTP ${answer.status})`);
    return expectRefusal(ui, answer, 403);
  }),
  wipeProbe(
    'ui-obliterate-queue',
    "bull-board's obliterate route, deleting a queue with its failed jobs, called as the UI's own page would",
    'obliterate',
  ),
  wipeProbe('ui-empty-queue', "bull-board's empty route, deleting a queue's waiting jobs, called as the UI's own page would", 'empty'),
  wipeProbe(
    'ui-obliterate-upper-case',
    'the obliterate route spelled in capitals (express routes without regard to case)',
    'OBLITERATE?force=true',
  ),
  uiProbe('ui-form-without-csrf-token', "a same-origin form post to a UI page without the page's CSRF token", async (context) => {
    const ui = await openUi(context);
    const answer = await send(ui.url, '/runs', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ui.url },
      body: 'cancel=1',
    });
    return expectRefusal(ui, answer, 403);
  }),
  uiProbe('ui-token-guessing', 'a client trying tokens one after another', async (context) => {
    const token = generateUiToken();
    const ui = await openUi(context, { token });
    for (let attempt = 0; attempt < 12; attempt += 1) {
      const answer = await send(ui.url, '/runs', { headers: { authorization: `Bearer ${generateUiToken()}` } });
      if (answer.status === 429) return refused(`turned away after ${attempt} wrong tokens: ${answer.body}`);
      if (answer.status !== 401) return accepted(`a wrong token answered ${answer.status}`);
    }
    return accepted('12 wrong tokens in a row were all answered');
  }),
  uiProbe('ui-weak-token', 'a token of 16 spaces, and one of a repeated letter', async () => {
    const results: string[] = [];
    for (const token of [' '.repeat(16), 'a'.repeat(40)]) {
      try {
        const ui = await startUi({ queues: {} } as unknown as Pipeline, { host: '0.0.0.0', port: 0, token });
        await ui.close();
        return accepted(`the UI listened with the token ${JSON.stringify(token)}`);
      } catch (error) {
        results.push((error as Error).message);
      }
    }
    return results.every((message) => /YANGGUANG_UI_TOKEN/.test(message) && /--new-token/.test(message))
      ? refused(results.join(' | '))
      : accepted(`unclear refusals: ${results.join(' | ')}`);
  }),
  uiProbe('ui-open-port-without-token', 'listening on every address without a token', async () => {
    try {
      const ui = await startUi({ queues: {} } as unknown as Pipeline, { host: '0.0.0.0', port: 0 });
      await ui.close();
      return accepted('the UI listened on 0.0.0.0 without a token');
    } catch (error) {
      const message = (error as Error).message;
      return /--token/.test(message) || !/YANGGUANG_UI_TOKEN/.test(message)
        ? accepted(`refused, but naming options that do not exist: ${message}`)
        : refused(message);
    }
  }),
];

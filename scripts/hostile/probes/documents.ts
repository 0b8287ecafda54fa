/**
 * Hostile documents and portals already refused before issue #14, kept so they stay refused: corrupt, encrypted
 * and bomb documents, an oversized download, an endless calendar. Each is served by a portal on 127.0.0.1 and
 * crawled through the queues; the refusal is the failures row with the document's code, the workers living on.
 */
import { readFileSync } from 'node:fs';
import JSZip from 'jszip';
import { buildMinimalPdf } from '../../../extract/fixtures/minimal-pdf.ts';
import { accepted, refused, type Probe, type ProbeContext } from '../probe.ts';
import { crawlRun, startHostilePortal, startPipeline, waitForFailureRows, type ServedFile } from '../support.ts';

const PDF = 'application/pdf';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** A real report's DOCX with a 50 MB entry of zeros: under 1 MB on the wire. */
async function zipBombDocx(): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(readFileSync(new URL('../../../extract/fixtures/report.docx', import.meta.url)));
  zip.file('word/media/padding.bin', new Uint8Array(50 * 1024 * 1024));
  return new Uint8Array(await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' }));
}

interface DocumentCase {
  name: string;
  description: string;
  code: string;
  /** The link's file extension, which the crawler takes as a hint of an attachment. */
  extension: string;
  file(): ServedFile | Promise<ServedFile>;
  config?: Record<string, unknown>;
}

/** Crawls a portal serving the one hostile document and wants its failure recorded with `code`. */
function documentProbe(spec: DocumentCase): Probe {
  return {
    name: spec.name,
    boundary: 'documents',
    description: spec.description,
    timeoutSecs: 90,
    async run(context: ProbeContext) {
      const config = context.configWith({ allowPrivateNetworks: true, ...spec.config });
      const running = await startPipeline(context, config);
      const { source } = await startHostilePortal(context, { [`/nb/report.${spec.extension}`]: await spec.file() });
      const state = await crawlRun(context, running, [source]);
      context.log(`run ${state.runId}: ${JSON.stringify(state.counts)}`);
      if (!state.counts[`failures:${spec.code}`]) return accepted(`no ${spec.code} failure in the run: ${JSON.stringify(state.counts)}`);
      const rows = await waitForFailureRows(context, spec.code, config);
      return refused(`${spec.code} recorded (${rows[0]!.stage}): ${rows[0]!.reason.slice(0, 140)}`);
    },
  };
}

const cases: DocumentCase[] = [
  {
    name: 'document-corrupt-pdf',
    extension: 'pdf',
    description: 'a PDF whose body is garbage after its magic bytes',
    code: 'CORRUPT_PDF',
    file: () => ({ contentType: PDF, body: '%PDF-1.7\nthis is not a PDF body at all\n%%EOF\n' }),
  },
  {
    name: 'document-encrypted-pdf',
    extension: 'pdf',
    description: 'a PDF that needs a password',
    code: 'ENCRYPTED_PDF',
    file: () => ({ contentType: PDF, body: buildMinimalPdf({ content: '2024年政府信息公开工作年度报告', encrypted: true }) }),
  },
  {
    name: 'document-docx-zip-bomb',
    extension: 'docx',
    description: 'a DOCX under 1 MB with an entry inflating to 50 MB',
    code: 'ZIP_BOMB',
    file: async () => ({ contentType: DOCX, body: await zipBombDocx() }),
  },
  {
    name: 'document-empty',
    extension: 'pdf',
    description: 'a report link answering 200 with no bytes',
    code: 'EMPTY_DOCUMENT',
    file: () => ({ contentType: PDF, body: '' }),
  },
  {
    name: 'document-executable-as-pdf',
    extension: 'pdf',
    description: 'an ELF executable served as application/pdf',
    code: 'UNSUPPORTED_FORMAT',
    file: () => ({ contentType: PDF, body: Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(4096, 0x90)]) }),
  },
  {
    name: 'document-oversized-download',
    extension: 'pdf',
    description: 'a 6 MB attachment against a 1 MB maxBodyBytes',
    code: 'BODY_TOO_LARGE',
    config: { maxBodyBytes: 1024 * 1024 },
    file: () => ({ contentType: PDF, body: Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(6 * 1024 * 1024, 0x20)]) }),
  },
];

/** An endless calendar: every day's page links the next, with a fresh session id each time. */
const calendarTrap: Probe = {
  name: 'portal-endless-calendar',
  boundary: 'documents',
  description: 'a column whose 下一页 leads to the next day forever, with a new jsessionid on every page',
  timeoutSecs: 90,
  async run(context) {
    let pages = 0;
    const server = await context.serve((request, response) => {
      pages += 1;
      const url = new URL(request.url ?? '/', 'http://x');
      const day = Number(url.searchParams.get('day') ?? 0);
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(
        `<html><head><title>政府信息公开年报</title></head><body><h2>第${day}天</h2><ul></ul><a href="/nb/index.html?day=${day + 1}&jsessionid=S${pages}">下一页</a></body></html>`,
      );
    });
    const config = context.configWith({ allowPrivateNetworks: true, maxPagesPerSource: 500 });
    const running = await startPipeline(context, config);
    const state = await crawlRun(context, running, [
      { id: 'calendar', name: '日历县人民政府', startUrls: [`${server.url}/nb/index.html`], allowedHosts: [new URL(server.url).host] },
    ]);
    context.log(`run ${state.runId}: ${JSON.stringify(state.counts)}; ${pages} pages served`);
    if (pages >= 500) return accepted(`the crawl asked ${pages} calendar pages (the whole page budget)`);
    return refused(`the crawl stopped after ${pages} calendar pages, run ${state.status}`);
  },
};

export const probes: Probe[] = [...cases.map(documentProbe), calendarTrap];

/** Starts the demo portals and prints their URLs until interrupted: node --import tsx simulator/serve.ts */
import { startDemoPortals } from './start-demo-portals.ts';

const demo = await startDemoPortals({ host: process.env.HOST ?? '127.0.0.1', scans: true });
for (const portal of demo.portals)
  console.log(`${portal.id}\t${portal.name}\t${portal.source.startUrls.join(' ')}\t${portal.baseUrl}/__manifest.json`);
for (const report of demo.planted) console.log(`  ${report.title}\t${report.htmlUrl ?? '-'}\t${report.pdfUrl ?? '-'}`);
process.once('SIGINT', () => void demo.close().then(() => process.exit(0)));

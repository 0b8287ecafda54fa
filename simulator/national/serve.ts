/**
 * Runs the national simulator alone until interrupted, and writes its catalog and manifest to a JSON file, and its
 * catalog alone as JSON lines for `YANGGUANG_CATALOG_FILE` (so that `yangguang sources discover` and
 * `crawl --catalog` run against it):
 *   node --import tsx simulator/national/serve.ts --portals 1000 [--seed 1] [--delay-ms 0] [--out national.json] [--catalog portals.jsonl]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startNationalSimulator } from './start-national-simulator.ts';

const { values } = parseArgs({
  options: {
    portals: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    'delay-ms': { type: 'string', default: '0' },
    out: { type: 'string' },
    catalog: { type: 'string' },
  },
});

const simulator = await startNationalSimulator({
  portals: Number(values.portals),
  seed: Number(values.seed),
  delayMs: Number(values['delay-ms']),
});
const ports = simulator.entries.map((entry) => Number(new URL(entry.portalUrl).port));
console.log(
  `national simulator: ${simulator.entries.length} portals on 127.0.0.1 (${simulator.serverCount} servers, home ports ${Math.min(...ports)}–${Math.max(...ports)}), seed ${values.seed}`,
);
const first = simulator.entries[0];
if (first) console.log(`  e.g. ${first.id} ${first.path} ${first.portalUrl}`);
if (values.out) {
  writeFileSync(values.out, `${JSON.stringify({ entries: simulator.entries, manifest: simulator.manifest }, null, 1)}\n`);
  console.log(`  catalog and manifest written to ${values.out}`);
}
if (values.catalog) {
  writeFileSync(values.catalog, `${simulator.entries.map((entry) => JSON.stringify(entry)).join('\n')}\n`);
  console.log(
    `  catalog written to ${values.catalog}: YANGGUANG_CATALOG_FILE=${values.catalog} YANGGUANG_ALLOW_PRIVATE_NETWORKS=1 npx yangguang sources discover`,
  );
}
console.log('Ctrl-C to stop.');
process.once('SIGINT', () => void simulator.close().then(() => process.exit(0)));
process.once('SIGTERM', () => void simulator.close().then(() => process.exit(0)));

/**
 * `npm run bench`: every benchmark in scripts/bench/, each printing one line
 * `bench <name>: key=value …` with its baseline measured in the same run and the ratio.
 * Usage: npm run bench [-- <name> …] to run only some.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatBenchLine, type BenchFields } from './bench/_measure.ts';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bench');
const only = process.argv.slice(2).filter((arg, index, args) => !arg.startsWith('--') && !args[index - 1]?.startsWith('--')); // names, not a bench's --options
const names = readdirSync(dir)
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.startsWith('_'))
  .map((file) => file.slice(0, -3))
  .filter((name) => only.length === 0 || only.includes(name))
  .sort();

let failed = false;
for (const name of names) {
  const module = (await import(path.join(dir, `${name}.ts`))) as { bench(): Promise<BenchFields> };
  try {
    console.log(formatBenchLine(name, await module.bench()));
  } catch (error) {
    failed = true;
    console.log(`bench ${name}: error=${JSON.stringify(error instanceof Error ? error.message : String(error))}`);
  }
}
process.exit(failed ? 1 : 0);

/** `yangguang sources check [FILE…]`: validates sources files (default: every sources/*.yaml) and lists what is wrong. */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { checkSourcesFile, formatSourceProblem } from '../crawlers/source-schema.ts';

/** The catalog's files: sources/*.yaml|yml|json under `root`. */
export function catalogFiles(root = 'sources'): string[] {
  try {
    return readdirSync(root).filter((name) => /\.(ya?ml|json)$/.test(name)).sort().map((name) => path.join(root, name));
  } catch {
    return [];
  }
}

/** Checks the files, prints one line per problem (or a count of good sources), and returns the exit code. */
export function checkSources(files: string[], print: (line: string) => void = console.log): number {
  const targets = files.length > 0 ? files : catalogFiles();
  if (targets.length === 0) {
    print('sources check: no sources files given and none under sources/');
    return 1;
  }
  let problems = 0;
  let sources = 0;
  for (const file of targets) {
    const checked = checkSourcesFile(file);
    checked.problems.forEach((problem) => print(formatSourceProblem(problem)));
    problems += checked.problems.length;
    sources += checked.sources.length;
  }
  print(problems === 0 ? `sources check: ${sources} sources in ${targets.length} file(s), all valid` : `sources check: ${problems} problem(s)`);
  return problems === 0 ? 0 : 1;
}

/** The logger's two line formats. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger, formatPretty } from './logger.ts';

test('pretty lines are time, level, message, then the fields as key=value', () => {
  const line = formatPretty({
    level: 30,
    time: Date.UTC(2026, 11, 6, 4, 5, 6),
    pid: 1,
    hostname: 'h',
    msg: 'fetch completed',
    stage: 'fetch',
    ms: 12,
    progress: { pages: 2 },
  });
  assert.equal(line, '04:05:06 INFO  fetch completed stage=fetch ms=12 progress={"pages":2}');
});

test('json lines are one object each, and levels below the chosen one are left out', () => {
  const lines: string[] = [];
  const log = createLogger({ level: 'warn', format: 'json', write: (line) => lines.push(line) });
  log.info('not shown');
  log.warn({ stage: 'load', waitedMs: 4200 }, 'loader waiting');
  assert.equal(lines.length, 1);
  const record = JSON.parse(lines[0]!) as Record<string, unknown>;
  assert.deepEqual([record.level, record.msg, record.stage, record.waitedMs], [40, 'loader waiting', 'load', 4200]);
});

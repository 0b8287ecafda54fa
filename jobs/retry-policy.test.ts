import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UnrecoverableError } from 'bullmq';
import { backoffWithJitter, classifyError, RETRY_BASE_DELAY_MS, toJobError } from './retry-policy.ts';

class PermanentError extends Error {
  readonly code = 'PDF_CORRUPT';
  readonly retryable = false;
}
class TransientError extends Error {
  readonly code = 'HTTP_503';
  readonly retryable = true;
}

test('a permanent stage error becomes UnrecoverableError carrying its code and reason', () => {
  const error = toJobError(new PermanentError('xref table broken'));
  assert.ok(error instanceof UnrecoverableError);
  assert.equal(error.message, 'PDF_CORRUPT: xref table broken');
});

test('a transient error is rethrown as is, so BullMQ retries it', () => {
  const original = new TransientError('service unavailable');
  assert.equal(toJobError(original), original);
  assert.deepEqual(classifyError(original), { retryable: true, code: 'HTTP_503', reason: 'service unavailable' });
});

test('an unknown error counts as transient with code UNKNOWN', () => {
  assert.deepEqual(classifyError(new TypeError('x is undefined')), { retryable: true, code: 'UNKNOWN', reason: 'x is undefined' });
  assert.deepEqual(classifyError('boom'), { retryable: true, code: 'UNKNOWN', reason: 'boom' });
});

test('backoff doubles per attempt within ±25% jitter', () => {
  for (const attempt of [1, 2, 3, 4]) {
    const base = RETRY_BASE_DELAY_MS * 2 ** (attempt - 1);
    for (let i = 0; i < 50; i += 1) {
      const delay = backoffWithJitter(attempt);
      assert.ok(delay >= base * 0.75 && delay <= base * 1.25, `attempt ${attempt}: ${delay}`);
    }
  }
});

test('a locked warehouse and a Redis hiccup are transient; a corrupt PDF is permanent', async () => {
  const { WarehouseLockedError } = await import('../load/errors.ts');
  const { CorruptPdfError } = await import('../extract/errors.ts');
  const locked = classifyError(new WarehouseLockedError('/tmp/w.duckdb', 'read-write', new Error('Could not set lock on file')));
  assert.deepEqual([locked.retryable, locked.code], [true, 'WAREHOUSE_LOCKED']);
  const redis = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });
  assert.deepEqual([classifyError(redis).retryable, classifyError(redis).code], [true, 'ECONNREFUSED']);
  const corrupt = classifyError(new CorruptPdfError('no xref table'));
  assert.deepEqual([corrupt.retryable, corrupt.code], [false, 'CORRUPT_PDF']);
});

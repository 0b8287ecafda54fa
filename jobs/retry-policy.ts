/**
 * The single place that decides whether a failed job is retried. Stage errors carry a readonly `retryable`;
 * permanent ones become BullMQ's UnrecoverableError so they fail at once with their reason.
 */
import { UnrecoverableError } from 'bullmq';

/** Attempts for each job; an unknown error is retried only this often, so a deterministic failure ends. */
export const JOB_ATTEMPTS = 3;
/** First retry delay in ms, doubled per attempt (BullMQ adds no jitter to 'exponential'; see backoffWithJitter). */
export const RETRY_BASE_DELAY_MS = 1000;

export interface ErrorClass {
  retryable: boolean;
  code: string;
  reason: string;
}

/** Reads `retryable` and `code` from a stage error; unknown errors are transient with code UNKNOWN. */
export function classifyError(error: unknown): ErrorClass {
  const candidate = error as { retryable?: unknown; code?: unknown; message?: unknown } | null;
  const reason = candidate && typeof candidate.message === 'string' ? candidate.message : String(error);
  const code = candidate && typeof candidate.code === 'string' ? candidate.code : 'UNKNOWN';
  const retryable = candidate && typeof candidate.retryable === 'boolean' ? candidate.retryable : true;
  return { retryable, code, reason };
}

/** The error to throw from a processor: permanent errors stop retries, keeping code and reason in the message. */
export function toJobError(error: unknown): Error {
  const { retryable, code, reason } = classifyError(error);
  if (retryable) return error instanceof Error ? error : new Error(reason);
  return new UnrecoverableError(`${code}: ${reason}`);
}

/** Exponential backoff with ±25% jitter, so that retries of a burst of failures do not arrive together. */
export function backoffWithJitter(attemptsMade: number): number {
  const base = RETRY_BASE_DELAY_MS * 2 ** Math.max(0, attemptsMade - 1);
  return Math.round(base * (0.75 + Math.random() * 0.5));
}

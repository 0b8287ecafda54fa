/**
 * The shape of a hostile probe (`npm run test:hostile`, scripts/hostile/run.ts). A probe plays an attacker or a
 * broken portal against one trust boundary and says whether yangguang refused it cleanly.
 *
 * A probe file in scripts/hostile/probes/ exports `probes: Probe[]`. The runner runs every probe in a child
 * process of its own (so a crash or a memory blow-up is seen, not shared), with a fresh data directory, its own
 * queue prefix, a time limit, and a canary secret outside the data directory. After the probe it checks by
 * itself that nothing was written outside the data directory, that the canary reached no file under the data
 * directory nor the DuckDB file, and that the forbidden server (127.0.0.2) got no request, nor even a connection.
 */
import type { RequestListener } from 'node:http';
import type { Config } from '../../config/config.ts';

/**
 * What the probe saw:
 * - `refused`: the hostile input was refused with a clear, specific error where a user finds it (the failed
 *   job's reason, a `failures` row, an HTTP 4xx, a thrown error with a code) and nothing leaked;
 * - `accepted`: the input went through — a hole;
 * - `leaked`: a file outside the data directory was read or written, a forbidden address was contacted, or
 *   secret data reached the warehouse;
 * - `crashed`: a worker or process the probe started died.
 * The runner adds `hung` (the probe ran past its time) and `crashed` (the probe's own process died).
 */
export type ProbeVerdict = 'refused' | 'accepted' | 'leaked' | 'crashed';

export interface ProbeResult {
  verdict: ProbeVerdict;
  /** One line: what was refused and how (the error code or status), or what went wrong. */
  detail: string;
}

export const refused = (detail: string): ProbeResult => ({ verdict: 'refused', detail });
export const accepted = (detail: string): ProbeResult => ({ verdict: 'accepted', detail });
export const leaked = (detail: string): ProbeResult => ({ verdict: 'leaked', detail });
export const crashed = (detail: string): ProbeResult => ({ verdict: 'crashed', detail });

/** A local HTTP server a probe started; closed by the runner after the probe. */
export interface LocalServer {
  /** `http://127.0.0.1:<port>` (or 127.0.0.2 for the forbidden server), no trailing slash. */
  url: string;
  /** Requests it has received so far, as `METHOD path`. */
  requests(): string[];
}

export interface ProbeContext {
  /** A fresh, empty data directory of this probe alone (absolute). */
  dataDir: string;
  /**
   * A directory outside the data directory (absolute, a sibling of it). It holds `secret.txt` with `canary`;
   * anything else that appears in it after the probe counts as a leak.
   */
  outsideDir: string;
  /** `<outsideDir>/secret.txt`: a file a hostile input may try to read. */
  secretPath: string;
  /** The secret's content: if it shows up under the data directory or in DuckDB, the probe leaked. */
  canary: string;
  /**
   * The configuration for this probe: `dataDir` above, DuckDB inside it, a unique `queuePrefix`, the Redis of
   * the run. Loaded with no environment or config file; build variants with `configWith`.
   */
  config: Config;
  /** The same configuration with some keys changed (validated like any configuration). */
  configWith(overrides: Record<string, unknown>): Config;
  /** Starts an HTTP server on 127.0.0.1 (a free port) answering with `handler`. */
  serve(handler: RequestListener): Promise<LocalServer>;
  /**
   * A server on 127.0.0.2 standing for an internal address: any request it receives makes the probe `leaked`.
   * Started on first use.
   */
  forbidden(): Promise<LocalServer>;
  /** Aborted when the probe's time is up; pass it to waits so the probe stops promptly. */
  signal: AbortSignal;
  /** Closed after the probe (LIFO), whatever the verdict: queues, workers, child processes, temp servers. */
  defer(cleanup: () => unknown | Promise<unknown>): void;
  /** A line of progress, shown with `--verbose` or when the probe fails. */
  log(message: string): void;
}

export interface Probe {
  /** kebab-case, unique across all probe files: `payload-extract-archive-path-outside`. */
  name: string;
  /** The trust boundary: `payloads`, `ui`, `network`, `pages`, `documents`, `sql`, `ownership`, `sources`. */
  boundary: string;
  /** One sentence: the hostile input and what a refusal looks like. */
  description: string;
  /** Time limit in seconds (default 60); past it the probe is `hung`. */
  timeoutSecs?: number;
  run(context: ProbeContext): Promise<ProbeResult>;
}

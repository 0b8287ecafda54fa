/**
 * robots.txt per host, read once per crawl with robots-parser; a missing or unreadable file allows everything. At most
 * ROBOTS_MAX_BYTES are read (RFC 9309 lets a crawler ignore what follows 500 KiB), under the crawl's network policy.
 */
import robotsParserModule from 'robots-parser';
import { fetch, type Dispatcher } from 'undici';
import { readCapped } from './capped-body.ts';

/** The part of robots-parser's Robot we use (its .d.ts declares the module untyped). */
interface Robots {
  isAllowed(url: string, userAgent?: string): boolean | undefined;
}
const robotsParser = robotsParserModule as unknown as (url: string, text: string) => Robots;

/** Most bytes of a robots.txt read (after decompression); the rest is ignored, as RFC 9309 allows. */
export const ROBOTS_MAX_BYTES = 512 * 1024;

export interface RobotsOptions {
  /** Our User-Agent, matched against the file's groups. */
  userAgent: string;
  /** How long to wait for a robots.txt, in milliseconds. */
  timeoutMs: number;
  /** The crawl's dispatcher (network-policy.ts policyDispatcher): its address checks apply to robots.txt too. */
  dispatcher: Dispatcher;
}

/** Answers whether a URL may be fetched, reading each origin's robots.txt on first use. */
export class RobotsPolicy {
  readonly #byOrigin = new Map<string, Promise<Robots | null>>();

  /** @param gate Runs the robots.txt request when the host's politeness allows (default: at once). */
  constructor(
    readonly options: RobotsOptions,
    private readonly gate: <T>(url: string, task: () => Promise<T>) => Promise<T> = (_url, task) => task(),
  ) {}

  /** Whether robots.txt of the URL's origin allows our User-Agent to fetch it. */
  async allows(url: string): Promise<boolean> {
    const origin = new URL(url).origin;
    let robots = this.#byOrigin.get(origin);
    if (!robots) {
      robots = this.#read(origin);
      this.#byOrigin.set(origin, robots);
    }
    return (await robots)?.isAllowed(url, this.options.userAgent) ?? true;
  }

  async #read(origin: string): Promise<Robots | null> {
    const robotsUrl = `${origin}/robots.txt`;
    const { userAgent, timeoutMs, dispatcher } = this.options;
    try {
      return await this.gate(robotsUrl, async () => {
        const response = await fetch(robotsUrl, {
          headers: { 'user-agent': userAgent },
          signal: AbortSignal.timeout(timeoutMs),
          dispatcher,
        });
        if (!response.ok) {
          await response.body?.cancel();
          return null;
        }
        const { bytes } = await readCapped(response, ROBOTS_MAX_BYTES);
        return robotsParser(robotsUrl, bytes.toString('utf8'));
      });
    } catch {
      return null;
    }
  }
}

/** robots.txt per host, read once per crawl with robots-parser; a missing or unreadable file allows everything. */
import robotsParserModule from 'robots-parser';

/** The part of robots-parser's Robot we use (its .d.ts declares the module untyped). */
interface Robots {
  isAllowed(url: string, userAgent?: string): boolean | undefined;
}
const robotsParser = robotsParserModule as unknown as (url: string, text: string) => Robots;

/** Answers whether a URL may be fetched, reading each origin's robots.txt on first use. */
export class RobotsPolicy {
  readonly #byOrigin = new Map<string, Promise<Robots | null>>();

  /**
   * @param userAgent Our User-Agent, matched against the file's groups.
   * @param timeoutMs How long to wait for a robots.txt, in milliseconds.
   * @param gate Runs the robots.txt request when the host's politeness allows (default: at once).
   */
  constructor(
    readonly userAgent: string,
    readonly timeoutMs: number,
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
    return (await robots)?.isAllowed(url, this.userAgent) ?? true;
  }

  async #read(origin: string): Promise<Robots | null> {
    const robotsUrl = `${origin}/robots.txt`;
    try {
      return await this.gate(robotsUrl, async () => {
        const response = await fetch(robotsUrl, { headers: { 'user-agent': this.userAgent }, signal: AbortSignal.timeout(this.timeoutMs) });
        if (response.ok) return robotsParser(robotsUrl, await response.text());
        await response.body?.cancel();
        return null;
      });
    } catch {
      return null;
    }
  }
}

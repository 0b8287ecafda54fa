/** The options of one portal's discovery (discoverPortal), with their defaults. */
import type { HostScheduler } from '../host-scheduler.ts';
import type { NetworkPolicy } from '../network-policy.ts';

export const DEFAULT_MAX_PAGES = 40;
export const DEFAULT_MAX_SUB_COLUMN_CHECK_PAGES = 40;
export const DEFAULT_DELAY_MS = 500;

/** The network policy (network-policy.ts: allowPrivateNetworks) is required: only the demo, tests and benches allow private networks. */
export interface DiscoverOptions extends NetworkPolicy {
  /** User-Agent header of every request. */
  userAgent: string;
  /** Timeout of one request, in seconds. */
  requestTimeoutSecs: number;
  /** Most pages fetched for one portal, path guesses and parent portal included. Default 40. */
  maxPages?: number;
  /**
   * Pages fetched beyond maxPages, only to check the sub-columns a 部门 / 乡镇 index lists by bare name (a county may
   * list 30 departments and 20 townships). Default 40; past it, siblings shaped like checked ones are taken unfetched.
   */
  maxSubColumnCheckPages?: number;
  /** The enclosing government's portal, searched for this government's column when its own portal has none. */
  parentPortalUrl?: string;
  /** Pause between two requests to one host, in milliseconds. Default 500. */
  delayMs?: number;
  /** Most bytes read of one page. Default 5 MB. */
  maxBodyBytes?: number;
  /**
   * Politeness shared when many portals are discovered at once (discoverPortals passes one): requests to one host go
   * one at a time, delayMs apart. Default: a scheduler of this portal's own.
   */
  scheduler?: HostScheduler;
}

/** `yangguang review list|confirm|dismiss`: the anomaly review queue. */
import type { Config } from '../config/config.ts';
import { formatTable, listAnomalies, reviewAnomaly } from '../load/index.ts';
import { UsageError } from './errors.ts';

export interface ReviewOptions {
  action: string;
  sha256?: string;
  anomalyId?: string;
  note?: string;
  all?: boolean;
}

/** Lists open anomalies (all with --all), or records a confirm/dismiss decision. */
export async function runReview(config: Config, options: ReviewOptions): Promise<void> {
  if (options.action === 'list') {
    console.log(formatTable(await listAnomalies(config.duckdbPath, { all: options.all })));
    return;
  }
  if (options.action !== 'confirm' && options.action !== 'dismiss') {
    throw new UsageError(`unknown review action ${options.action}: choose list, confirm or dismiss`);
  }
  if (!options.sha256 || !options.anomalyId) throw new UsageError(`review ${options.action} needs <sha256> <anomaly-id>`);
  const state = options.action === 'confirm' ? 'confirmed' : 'dismissed';
  const sha256 = await reviewAnomaly(config.duckdbPath, {
    sha256: options.sha256,
    anomalyId: options.anomalyId,
    state,
    note: options.note,
  });
  console.log(`${options.anomalyId} of ${sha256.slice(0, 12)}: ${state}`);
}

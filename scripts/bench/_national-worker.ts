/**
 * The worker process of `bench national`: crawl and fetch workers only (configuration from the environment), so
 * that its peak RSS is the crawl tier's. Prints `ready` once its workers run; SIGTERM closes them and exits.
 */
import { loadConfig } from '../../config/config.ts';
import { openPipeline, startWorkers } from '../../jobs/pipeline.ts';

const pipeline = await openPipeline(loadConfig());
const workers = startWorkers(pipeline, { stages: ['crawl', 'fetch'] });
await Promise.all(workers.map((worker) => worker.waitUntilReady()));
console.log('ready');

process.once('SIGTERM', () => {
  void Promise.all(workers.map((worker) => worker.close()))
    .then(() => pipeline.close())
    .finally(() => process.exit(0));
});

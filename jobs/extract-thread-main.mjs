// The extract worker thread's entry: loads the TypeScript sources through tsx (threads do not inherit the main
// thread's loader), then answers { id, bytes, hints } with { id, document } or { id, error }.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { extractDocument } = await import('../extract/index.ts');

parentPort.on('message', async ({ id, bytes, hints }) => {
  try {
    parentPort.postMessage({ id, document: await extractDocument(bytes, hints) });
  } catch (error) {
    const { name, message, code, retryable } = error ?? {};
    parentPort.postMessage({ id, error: { name, message: String(message ?? error), code, retryable } });
  }
});

// The built server (dist/, `npx tsc -p .` first) in a child process, for the crash, access
// and load tests: starts in a third of the time the TypeScript hooks take. Data directory from
// argv[2]; uploads up to argv[3] bytes are imported before the answer; pino level argv[4]
// (default: no log); API keys from LEDGERFLOW_API_KEYS. Prints its URL.
import { startServer } from '../../dist/src/server/index.js';

const server = await startServer({
  dataDir: process.argv[2], host: '127.0.0.1', port: 0, demo: false,
  logLevel: process.argv[4] ?? false,
  asyncUploadBytes: Number(process.argv[3] ?? 0),
});
process.stdout.write(`READY ${server.url}\n`);
await server.closed;

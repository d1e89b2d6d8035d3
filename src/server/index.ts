/**
 * The HTTP service.
 */
export { createServer } from './create-server.js';
export { errorReplyOf, type ErrorReply } from './http-errors.js';
export {
  kDefaultServerOptions, resolveServerOptions, type ServerOptions,
} from './server-options.js';
export {
  DEMO_INVOICES, startServer, type RunningServer, type StartOptions,
} from './start-server.js';

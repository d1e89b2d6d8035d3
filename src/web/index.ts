/**
 * The web page served by the HTTP service.
 */
export { registerWebPage, type WebPageOptions } from './register-web-page.js';
export { staticDir } from './static-files.js';

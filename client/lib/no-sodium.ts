/**
 * Stands in for libsodium-wrappers in the browser build (see vite.config.ts): the browser
 * uses the pure-JavaScript noble backend only, so nothing may load WebAssembly.
 */
const unavailable = {
  get ready(): Promise<never> {
    return Promise.reject(new Error('libsodium is not available in the browser'));
  },
};
export default unavailable;

/** Base64 of the organisation root Ed25519 public key, injected by vite.config.ts at build time. */
declare const __TIPLINE_ROOT_PUBLIC_KEY__: string;
/** The lowest keyring version this build accepts, injected by vite.config.ts at build time. */
declare const __TIPLINE_MIN_KEYRING_VERSION__: number;

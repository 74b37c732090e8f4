/** Base64 of the organisation root Ed25519 public key, injected by vite.config.ts at build time. */
declare const __TIPLINE_ROOT_PUBLIC_KEY__: string;

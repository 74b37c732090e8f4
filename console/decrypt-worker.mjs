// A decryption worker of the console (console/pool.ts). Plain ESM like bin/tipline.js: it
// registers tsx in this thread, then runs the TypeScript worker body.
import { fileURLToPath } from 'node:url';

const { register } = await import('tsx/esm/api');
register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
await import(new URL('./worker.ts', import.meta.url).href);

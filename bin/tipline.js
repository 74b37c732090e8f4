#!/usr/bin/env node
// The `tipline` command. Plain ESM so that it runs straight after `npm ci`: it
// registers tsx and runs the TypeScript entry point. Paths are resolved relative
// to this file, never to the working directory.
import module from 'node:module';
import { fileURLToPath } from 'node:url';

if (typeof module.register !== 'function') {
  process.stderr.write(`tipline: Node.js 20.6 or later is required (this is ${process.version})\n`);
  process.exit(1);
}

const { register } = await import('tsx/esm/api');
register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
const { main } = await import(new URL('../scripts/tipline.ts', import.meta.url).href);
await main(process.argv.slice(2));

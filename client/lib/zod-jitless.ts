/**
 * Must be the first import of every page. zod decides, when a schema is built, whether to
 * compile a fast path with `new Function`; under the strict CSP (no 'unsafe-eval') that probe
 * is a reported violation. crypto/report.ts turns it off, but crypto/keyring.ts builds its
 * schemas before report.ts runs, so the switch has to come before any crypto module.
 */
import { z } from 'zod';

z.config({ jitless: true });

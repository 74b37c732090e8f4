/** The whole server suite on SQLite (the embedded default). */
import { sqliteFactory } from './harness.js';
import { allSuites } from './suites/index.js';

allSuites(() => sqliteFactory);

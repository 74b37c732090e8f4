/**
 * The demo organisation's profile: clearly fictional (name, numbers from the ranges
 * reserved for drama, example.org), except the real emergency numbers, which must never be
 * wrong even in a demo. Written to `<data dir>/profile.json`, signed by the demo root key.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signProfile, type Profile } from '../crypto/index.js';
import { PROFILE_FILE } from './org.js';

export function demoProfile(now = new Date()): Profile {
  return {
    version: 1,
    issued: now.toISOString().slice(0, 10),
    name: 'Demo Safety Scheme (fictional: not a real service)',
    regions: [
      { id: 'north', name: 'North (demo)' },
      { id: 'city-centre', name: 'City centre (demo)' },
      { id: 'south', name: 'South (demo)' },
    ],
    contacts: [
      { kind: 'emergency', name: 'Emergency services', phone: '999', note: 'or 112 from any phone. In danger now? Call.' },
      { kind: 'support', name: 'Demo support line (fictional)', phone: '01632 960000', hours: 'Mon-Fri 10:00-18:00' },
      { kind: 'scheme', name: 'Demo scheme coordinators (fictional)', email: 'help@example.org', url: 'https://example.org/' },
    ],
    nextSteps:
      'This is a demonstration. In a real scheme a coordinator reads each report, may publish an anonymised warning if you agreed, and replies through your receipt code.',
    languages: ['en', 'ro'],
  };
}

/** Sign the demo profile with the demo root seed and write it into the data dir. */
export function writeDemoProfile(dataDir: string, rootSeed: Uint8Array, now = new Date()): string {
  const file = join(dataDir, PROFILE_FILE);
  writeFileSync(file, JSON.stringify(signProfile(demoProfile(now), rootSeed), null, 2) + '\n', { mode: 0o644, flag: 'wx' });
  return file;
}

/**
 * Every English key is used by code: its name appears as a string literal in client/ or
 * server/ source (catalogue files themselves excluded), or it is under one of the few
 * dynamic prefixes below: each must be built in the code (a template `prefix.${…}`, or the
 * prefix passed to the helper that builds it) and must have a key for every value the code
 * can produce there; a key under a prefix with a value the code cannot produce is unused.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as crypto from '../../crypto/index.js';
import { REPLY_BUCKETS } from '../../console/stats.js';
import { CONSENT_STEPS, WHEN_KINDS } from '../../client/report/model.js';
import { ROOT, catalogueFiles, loadCatalogueFile, type Kind } from './catalogues.js';

interface Dynamic {
  /** keys `${prefix}.${value}${suffix}` */
  prefix: string;
  suffix?: string;
  /** the values the code can put there: each must have its key; other keys under the prefix must be used literally */
  values: readonly string[];
  /** text that must be in the code where the key is built (default: the template `prefix.${`) */
  built?: string;
  /** where and why the key is built at run time */
  why: string;
}

const OPTION = 'client/report/Wizard.tsx options() and Summary.tsx label(): a pick-list value of the report schema shown with its label; server/routes/basic-form.ts pick() likewise';
const option = (prefix: string, values: readonly string[]): Dynamic => ({ prefix, values, built: `'${prefix}'`, why: OPTION });


/** The dynamic prefixes of each catalogue kind. Keep this list short: prefer literal keys. */
export const DYNAMIC: Record<Kind, readonly Dynamic[]> = {
  reporter: [
    option('incident', crypto.INCIDENT_TYPES),
    option('band', crypto.TIME_BANDS),
    option('setting', crypto.SETTINGS),
    option('method', crypto.CONTACT_METHODS),
    option('count', crypto.OFFENDER_COUNTS),
    option('gender', crypto.GENDERS),
    option('age', crypto.AGE_RANGES),
    option('height', crypto.HEIGHTS),
    option('build', crypto.BUILDS),
    option('answer', crypto.ANSWERS),
    { prefix: 'when', values: WHEN_KINDS, why: 'Wizard.tsx: one choice per WHEN_KINDS of client/report/model.ts' },
    { prefix: 'consent', suffix: '.q', values: CONSENT_STEPS, built: '`consent.${s}.q`', why: 'Wizard.tsx: the consent steps ask their question by step name' },
    { prefix: 'consent', suffix: '.help', values: CONSENT_STEPS, built: '`consent.${s}.help`', why: 'Wizard.tsx: the consent steps explain by step name' },
  ],
  member: [
    { prefix: 'incident', values: crypto.INCIDENT_TYPES, why: 'WarningCard, the warnings filter and the statistics rows name each incident type of a warning' },
    { prefix: 'partOfDay', values: crypto.TIME_BANDS, why: "WarningCard: a warning's time band" },
    { prefix: 'memberType', values: crypto.MEMBER_TYPES, why: 'ApplicationFields: the member types of the schema' },
    { prefix: 'check.kind', values: crypto.CHECK_KINDS, why: 'Check: one radio button per identifier kind' },
    { prefix: 'check.notKind', values: crypto.CHECK_KINDS, why: 'Check: the refusal for the chosen kind' },
    {
      prefix: 'loginError',
      values: ['invalid-login', 'not-approved', 'application-refused', 'access-revoked', 'too-many-attempts', 'network'],
      why: "Login: the server's refusal message, spaces as dashes (server/routes/members.ts), and `network`",
    },
    { prefix: 'stats.table', values: Object.keys(crypto.STAT_TABLES), why: 'statistics/labels.ts tableTitle(): the table ids of crypto/statistics.ts' },
    {
      prefix: 'stats.row',
      values: [...crypto.SETTINGS, 'not-given', 'unmatched', ...crypto.ANSWERS, 'linked', 'not-linked', 'warning', 'no-warning', ...REPLY_BUCKETS],
      why: 'statistics/labels.ts rowLabel(): the row keys console/stats.ts publishes (months, incident types and regions are named otherwise)',
    },
    { prefix: 'stats.reason', values: ['unpinned', 'noKeyring', 'keyring', 'signature', 'offline', 'rules'], why: "Statistics.tsx refusal(): statistics/model.ts's Refusal `why`" },
  ],
  basic: [],
};

/** Keys `base@3p` are used wherever `base` is: client/report/Wizard.tsx words the question for a third party. */
const THIRD_PARTY = '@3p';

const { files } = catalogueFiles();
const catalogueSet = new Set(files.map((f) => f.path));

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = join(dir, e.name);
    if (e.isDirectory()) return sources(rel);
    return /\.(ts|tsx)$/.test(e.name) && !catalogueSet.has(rel) ? [rel] : [];
  });
}
const code = [...sources('client'), ...sources('server')].map((f) => readFileSync(join(ROOT, f), 'utf8')).join('\n');
const literal = (key: string) => code.includes(`'${key}'`) || code.includes(`"${key}"`) || code.includes(`\`${key}\``);

/** The English keys of `kind` that no code uses, given its dynamic prefixes. */
export function unusedKeys(keys: readonly string[], dynamic: readonly Dynamic[], used: (key: string) => boolean = literal): string[] {
  const base = (k: string) => (k.endsWith(THIRD_PARTY) ? k.slice(0, -THIRD_PARTY.length) : k);
  const isUsed = (k: string): boolean => used(k) || dynamic.some((d) => d.values.some((v) => k === `${d.prefix}.${v}${d.suffix ?? ''}`));
  return keys.filter((k) => !isUsed(base(k)) || (k !== base(k) && !keys.includes(base(k))));
}

for (const kind of ['reporter', 'member', 'basic'] as const) {
  const en = files.find((f) => f.kind === kind && f.tag === 'en');
  if (!en) continue;
  describe(`${kind} catalogue: every key is used`, () => {
    it('every English key appears in client/ or server/ code, or under a listed dynamic prefix', async () => {
      const keys = Object.keys(await loadCatalogueFile(en.path));
      expect(unusedKeys(keys, DYNAMIC[kind])).toEqual([]);
    });

    for (const d of DYNAMIC[kind]) {
      it(`${d.prefix}.*${d.suffix ?? ''}: built in code, and a key for every value the code can produce`, async () => {
        const built = d.built ?? `\`${d.prefix}.\${`;
        expect(code.includes(built), `no ${built} in client/ or server/`).toBe(true);
        const keys = Object.keys(await loadCatalogueFile(en.path));
        expect(d.values.filter((v) => !keys.includes(`${d.prefix}.${v}${d.suffix ?? ''}`))).toEqual([]);
      });
    }
  });
}

describe('the check itself', () => {
  it('reports a key nobody uses, a stray third-party variant, and a value no prefix allows', () => {
    const used = (k: string) => ['a', 'b'].includes(k);
    const dyn = [{ prefix: 'incident', values: ['violence'], why: 'test' }];
    expect(unusedKeys(['a', 'b', 'c', 'a@3p', 'c@3p', 'incident.violence', 'incident.gone', 'incident.violence@3p', 'x@3p'], dyn, used)).toEqual(['c', 'c@3p', 'incident.gone', 'x@3p']);
  });
});

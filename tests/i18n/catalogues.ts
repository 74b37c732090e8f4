/**
 * The catalogue files on disk, found by reading the directories (so a translator's or another
 * branch's new file is covered without touching the tests): `client/i18n/<tag>.ts` (reporter
 * pages), `client/i18n/member/<tag>.ts`, `client/i18n/basic/<tag>.ts` (server-rendered pages).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LANGUAGES } from '../../client/i18n/languages.js';
import type { Message } from '../../client/i18n/plural.js';

export const ROOT = join(import.meta.dirname, '../..');
export type Catalogue = Readonly<Record<string, Message>>;

export const KINDS = [
  { kind: 'reporter', dir: 'client/i18n' },
  { kind: 'member', dir: 'client/i18n/member' },
  { kind: 'basic', dir: 'client/i18n/basic' },
] as const;
export type Kind = (typeof KINDS)[number]['kind'];

/** Modules in those directories that are code, not a catalogue. */
export const NOT_CATALOGUES = new Set(['index', 'loaders', 'store', 'format', 'plural', 'pseudo', 'languages', 'use-language', 'english']);

const TAGS: readonly string[] = LANGUAGES.map((l) => l.tag);

export interface CatalogueFile {
  kind: Kind;
  tag: string;
  path: string;
}

/** Every catalogue file, and every .ts file there that is neither code nor named by a registered tag. */
export function catalogueFiles(): { files: CatalogueFile[]; strays: string[] } {
  const files: CatalogueFile[] = [];
  const strays: string[] = [];
  for (const { kind, dir } of KINDS) {
    const abs = join(ROOT, dir);
    if (!existsSync(abs)) continue;
    for (const name of readdirSync(abs)) {
      if (!name.endsWith('.ts')) continue;
      const base = name.slice(0, -3);
      if (NOT_CATALOGUES.has(base)) continue;
      if (TAGS.includes(base)) files.push({ kind, tag: base, path: join(dir, name) });
      else strays.push(join(dir, name));
    }
  }
  return { files, strays };
}

/** The messages a catalogue module exports (`messages`, else its only exported object). @throws when there is none */
export async function loadCatalogueFile(path: string): Promise<Catalogue> {
  const mod = (await import(pathToFileURL(join(ROOT, path)).href)) as Record<string, unknown>;
  if (mod.messages && typeof mod.messages === 'object') return mod.messages as Catalogue;
  const objects = Object.values(mod).filter((v) => v && typeof v === 'object');
  if (objects.length !== 1) throw new Error(`${path}: no \`messages\` export`);
  return objects[0] as Catalogue;
}

/** The placeholders `{name}` of a value (all plural forms together). */
export function placeholders(v: Message): string[] {
  const forms = typeof v === 'string' ? [v] : Object.values(v);
  return [...new Set(forms.flatMap((s) => [...String(s).matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)))].sort();
}

/**
 * Every problem of catalogue `m` in `tag` against English `en`, one line each: missing and
 * extra keys, empty values, placeholders differing from English, plural objects whose
 * categories differ from Intl.PluralRules(tag) (or a plain string where English has a plural).
 */
export function problems(tag: string, m: Catalogue, en: Catalogue): string[] {
  const out: string[] = [];
  const categories = new Intl.PluralRules(tag).resolvedOptions().pluralCategories.slice().sort();
  for (const k of Object.keys(en)) if (!Object.prototype.hasOwnProperty.call(m, k)) out.push(`missing key ${k}`);
  for (const k of Object.keys(m)) if (!Object.prototype.hasOwnProperty.call(en, k)) out.push(`extra key ${k}`);
  for (const [k, v] of Object.entries(m)) {
    const e = en[k];
    if (e === undefined) continue;
    if (typeof v === 'string') {
      if (typeof e !== 'string') out.push(`${k}: a plural object is needed (categories ${categories.join(',')})`);
      if (!v.trim()) out.push(`${k}: empty`);
    } else if (!v || typeof v !== 'object') {
      out.push(`${k}: neither text nor a plural object`);
    } else {
      if (typeof e === 'string') out.push(`${k}: English has a plain string, not a plural object`);
      const have = Object.keys(v).sort();
      if (have.join(',') !== categories.join(',')) out.push(`${k}: plural categories ${have.join(',')}, ${tag} needs ${categories.join(',')}`);
      for (const [c, s] of Object.entries(v)) {
        if (typeof s !== 'string' || !s.trim()) out.push(`${k}.${c}: empty`);
        for (const p of placeholders(String(s))) if (!placeholders(e).includes(p)) out.push(`${k}.${c}: placeholder {${p}} is not in English`);
      }
    }
    const want = placeholders(e).join(',');
    const got = placeholders(v).join(',');
    if (got !== want) out.push(`${k}: placeholders {${got}} differ from English {${want}}`);
  }
  return out;
}

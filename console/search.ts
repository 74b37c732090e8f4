/**
 * The in-memory index over decrypted reports: identifier keys (crypto/identifiers.ts) to
 * report ids, partial plates, and one folded text per report for the search box.
 * Nothing here is written to disk.
 */
import { partialPlateMatches, queryKeys, type Identifier } from '../crypto/index.js';

/** Kinds that link reports to one offender. An advert site is shared by many offenders. */
const LINKING = new Set(['phone', 'email', 'plate', 'plate-part', 'handle', 'url', 'name']);

export interface Link {
  id: string;
  keys: string[];
}

export function foldText(s: string): string {
  return s.normalize('NFKC').toLowerCase();
}

export class SearchIndex {
  private readonly byKey = new Map<string, Set<string>>();
  private readonly keysOf = new Map<string, string[]>();
  private readonly texts = new Map<string, string>();
  /** normalised plate → ids, full and partial apart */
  private readonly plates = new Map<string, Set<string>>();
  private readonly partials = new Map<string, Set<string>>();

  get size(): number {
    return this.texts.size;
  }

  /** Index (or re-index) one report. */
  set(id: string, identifiers: readonly Identifier[], text: string): void {
    this.remove(id);
    const keys = identifiers.filter((i) => LINKING.has(i.kind)).map((i) => i.key);
    this.keysOf.set(id, keys);
    this.texts.set(id, foldText(text));
    for (const k of keys) {
      let s = this.byKey.get(k);
      if (!s) this.byKey.set(k, (s = new Set()));
      s.add(id);
      if (k.startsWith('plate:')) addTo(this.plates, k.slice(6), id);
      else if (k.startsWith('plate-part:')) addTo(this.partials, k.slice(11), id);
    }
  }

  remove(id: string): void {
    for (const k of this.keysOf.get(id) ?? []) {
      this.byKey.get(k)?.delete(id);
      if (this.byKey.get(k)?.size === 0) this.byKey.delete(k);
      if (k.startsWith('plate:')) removeFrom(this.plates, k.slice(6), id);
      else if (k.startsWith('plate-part:')) removeFrom(this.partials, k.slice(11), id);
    }
    this.keysOf.delete(id);
    this.texts.delete(id);
  }

  /** Ids (other than `id`) that share an identifier with `id`, with the keys they share. */
  related(id: string): Link[] {
    const found = new Map<string, Set<string>>();
    const note = (other: string, key: string) => {
      if (other === id) return;
      let s = found.get(other);
      if (!s) found.set(other, (s = new Set()));
      s.add(key);
    };
    for (const k of this.keysOf.get(id) ?? []) {
      for (const other of this.byKey.get(k) ?? []) note(other, k);
      if (k.startsWith('plate-part:')) {
        const part = k.slice(11);
        for (const [plate, ids] of this.plates) if (partialPlateMatches(part, plate)) for (const o of ids) note(o, `plate:${plate}`);
        for (const [p, ids] of this.partials) if (p !== part && (p.includes(part) || part.includes(p))) for (const o of ids) note(o, `plate-part:${p}`);
      } else if (k.startsWith('plate:')) {
        const plate = k.slice(6);
        for (const [p, ids] of this.partials) if (partialPlateMatches(p, plate)) for (const o of ids) note(o, `plate-part:${p}`);
      }
    }
    return [...found].map(([other, keys]) => ({ id: other, keys: [...keys] }));
  }

  /** Report ids matching a search: identifier keys the query could mean, then any text containing it. */
  search(q: string): Set<string> {
    const out = this.lookup(q);
    const t = q.trim();
    if (!t) return out;
    const needle = foldText(t);
    for (const [id, text] of this.texts) if (text.includes(needle)) out.add(id);
    return out;
  }

  /** Report ids holding an identifier the query could mean (phone in any spelling, plate, partial plate, email, handle...). */
  lookup(q: string): Set<string> {
    const out = new Set<string>();
    const t = q.trim();
    if (!t) return out;
    for (const k of queryKeys(t)) {
      for (const id of this.byKey.get(k) ?? []) out.add(id);
      if (k.startsWith('plate-part:')) {
        const part = k.slice(11);
        for (const [plate, ids] of this.plates) if (partialPlateMatches(part, plate)) for (const id of ids) out.add(id);
        for (const [p, ids] of this.partials) if (partialPlateMatches(p, part)) for (const id of ids) out.add(id);
      }
    }
    return out;
  }

  /** Groups of two or more reports connected through shared identifiers (one offender each, probably). */
  groups(): { ids: string[]; keys: string[] }[] {
    const parent = new Map<string, string>();
    const find = (x: string): string => {
      let r = x;
      while (parent.get(r) !== r) r = parent.get(r)!;
      let c = x;
      while (c !== r) {
        const n = parent.get(c)!;
        parent.set(c, r);
        c = n;
      }
      return r;
    };
    for (const id of this.keysOf.keys()) parent.set(id, id);
    for (const id of this.keysOf.keys()) for (const l of this.related(id)) parent.set(find(l.id), find(id));
    const groups = new Map<string, string[]>();
    for (const id of this.keysOf.keys()) {
      const r = find(id);
      let g = groups.get(r);
      if (!g) groups.set(r, (g = []));
      g.push(id);
    }
    return [...groups.values()]
      .filter((g) => g.length > 1)
      .map((ids) => {
        const keys = new Set<string>();
        for (const id of ids) for (const l of this.related(id)) for (const k of l.keys) keys.add(k);
        return { ids, keys: [...keys].sort() };
      })
      .sort((a, b) => b.ids.length - a.ids.length);
  }
}

function addTo(m: Map<string, Set<string>>, k: string, id: string) {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set()));
  s.add(id);
}

function removeFrom(m: Map<string, Set<string>>, k: string, id: string) {
  const s = m.get(k);
  if (!s) return;
  s.delete(id);
  if (s.size === 0) m.delete(k);
}

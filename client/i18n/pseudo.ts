/**
 * The pseudo-locale en-XA, made from an English catalogue: every letter accented, each string
 * about 40 % longer and in brackets ("[Ŕéƥöŕţ · ·]"). Text cut off at 360 px, a string built
 * by concatenation, or one not from a catalogue at all then stands out on screen. `{name}`
 * placeholders are kept exactly, so the result is still a valid catalogue.
 */
import type { Message, Plural } from './plural.js';

const ACCENTED: Readonly<Record<string, string>> = Object.fromEntries(
  [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'].map((c, i) => [c, [...'àƀçđéƒĝĥíĵķĺɱñöƥʠŕšţûṽŵẋýžÀƁÇĐÉƑĜĤÍĴĶĹṀÑÖƤɊŔŠŢÛṼŴẊÝŽ'][i]!]),
);

/** Longer by this share of the letters, padded with `· ·` inside the brackets. */
export const GROWTH = 0.4;

/** One string in pseudo-locale form; placeholders `{name}` unchanged. */
export function pseudoString(s: string): string {
  const parts = s.split(/(\{\w+\})/);
  let letters = 0;
  const body = parts
    .map((p) => {
      if (/^\{\w+\}$/.test(p)) return p;
      return [...p].map((c) => (ACCENTED[c] ? (letters++, ACCENTED[c]) : c)).join('');
    })
    .join('');
  const pad = Math.max(1, Math.round(Math.max(letters, s.length) * GROWTH) - 2);
  // Dots and spaces, so the padding wraps as words do (one long run would overflow any width).
  return `[${body} ${'· '.repeat(Math.ceil(pad / 2)).slice(0, pad).trimEnd()}]`;
}

function pseudoMessage(m: Message): Message {
  if (typeof m === 'string') return pseudoString(m);
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, pseudoString(v!)])) as unknown as Plural;
}

/** A whole catalogue in pseudo-locale form (same keys, plural objects keep their categories). */
export function pseudoCatalogue<M extends Readonly<Record<string, Message>>>(english: M): M {
  return Object.fromEntries(Object.entries(english).map(([k, v]) => [k, pseudoMessage(v)])) as unknown as M;
}

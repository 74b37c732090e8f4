/**
 * The reporter pages' catalogues other than English, one line per language; each is a chunk
 * of its own, fetched only when chosen. Adding a language: its file ./<tag>.ts, then one line
 * here (and the same in ./member/loaders.ts for the members' pages).
 */
import type { Messages } from './en.js';
import type { Loaders } from './store.js';

export const REPORTER_LOADERS: Loaders<Messages> = {
  ro: () => import('./ro.js'),
  bg: () => import('./bg.js'),
  pl: () => import('./pl.js'),
  hu: () => import('./hu.js'),
  'pt-BR': () => import('./pt-BR.js'),
  es: () => import('./es.js'),
  it: () => import('./it.js'),
  fr: () => import('./fr.js'),
  ru: () => import('./ru.js'),
  uk: () => import('./uk.js'),
  th: () => import('./th.js'),
  'zh-CN': () => import('./zh-CN.js'),
  sq: () => import('./sq.js'),
};

/**
 * The members' and statistics pages' catalogues other than English, one line per language;
 * each is a chunk of its own, fetched only when chosen (the reporter catalogue is never
 * loaded on these pages). Adding a language: its file ./<tag>.ts, then one line here.
 */
import type { Loaders } from '../store.js';
import type { MemberMessages } from './en.js';

export const MEMBER_LOADERS: Loaders<MemberMessages> = {
  ro: () => import('./ro.js'),
};

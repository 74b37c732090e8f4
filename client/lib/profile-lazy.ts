/**
 * The verified organisation profile for the reporter pages, loaded after the first paint:
 * the verifier (lib/profile.ts and the crypto it needs) is a separate chunk, fetched once
 * per page. Resolves undefined when the profile is missing, unreachable or does not verify,
 * so the pages keep their generic emergency text (a seized server cannot swap the numbers).
 * The profile's texts in the reader's language (its optional translations) are chosen by
 * code from the same chunk, so the report page's first load does not grow.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Profile } from '../../crypto/index.js';

interface Loaded {
  profile: Profile;
  localize(p: Profile, lang: string): Profile;
}

let pending: Promise<Loaded | undefined> | undefined;

function load(): Promise<Loaded | undefined> {
  pending ??= import('./profile.js').then(
    (m) => m.verifiedProfile().then((profile) => ({ profile, localize: m.localizeProfile }), () => undefined),
    () => undefined,
  );
  return pending;
}

/** Fetch and verify once; never rejects. */
export function loadProfile(): Promise<Profile | undefined> {
  return load().then((l) => l?.profile);
}

/**
 * The verified profile once it is there (undefined before, and for good when it fails), with
 * its texts in `lang` where the profile translates them.
 */
export function useProfile(lang?: string): Profile | undefined {
  const [loaded, setLoaded] = useState<Loaded | undefined>(undefined);
  useEffect(() => {
    let live = true;
    // After the first paint: the intro must not wait for the verifier.
    const id = setTimeout(() => void load().then((l) => live && l && setLoaded(l)), 0);
    return () => {
      live = false;
      clearTimeout(id);
    };
  }, []);
  if (!loaded) return undefined;
  return lang ? loaded.localize(loaded.profile, lang) : loaded.profile;
}

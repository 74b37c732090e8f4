/**
 * The verified organisation profile for the reporter pages, loaded after the first paint:
 * the verifier (lib/profile.ts and the crypto it needs) is a separate chunk, fetched once
 * per page. Resolves undefined when the profile is missing, unreachable or does not verify,
 * so the pages keep their generic emergency text (a seized server cannot swap the numbers).
 */
import { useEffect, useState } from 'preact/hooks';
import type { Profile } from '../../crypto/index.js';

let pending: Promise<Profile | undefined> | undefined;

/** Fetch and verify once; never rejects. */
export function loadProfile(): Promise<Profile | undefined> {
  pending ??= import('./profile.js').then(
    (m) => m.verifiedProfile().catch(() => undefined),
    () => undefined,
  );
  return pending;
}

/** The verified profile once it is there (undefined before, and for good when it fails). */
export function useProfile(): Profile | undefined {
  const [profile, setProfile] = useState<Profile | undefined>(undefined);
  useEffect(() => {
    let live = true;
    // After the first paint: the intro must not wait for the verifier.
    const id = setTimeout(() => void loadProfile().then((p) => live && p && setProfile(p)), 0);
    return () => {
      live = false;
      clearTimeout(id);
    };
  }, []);
  return profile;
}

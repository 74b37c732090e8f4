/**
 * Device safety: the quick exit. It wipes what the page holds in memory, blanks the
 * page and leaves for a neutral site with location.replace, so Back does not return here.
 */

/** A neutral, common site to land on. */
export const EXIT_URL = 'https://www.bbc.co.uk/weather';

const wipers = new Set<() => void>();

/** Register something to wipe on quick exit; returns the unregister function. */
export function onWipe(fn: () => void): () => void {
  wipers.add(fn);
  return () => wipers.delete(fn);
}

/** Run every wiper (each one's failure is ignored so the exit always happens). */
export function wipeAll(): void {
  for (const fn of [...wipers]) {
    try {
      fn();
    } catch {
      // keep going: leaving matters more
    }
  }
  wipers.clear();
}

/** Leave now: wipe, blank the page, replace this history entry with a neutral site. */
export function quickExit(): void {
  wipeAll();
  try {
    document.title = '';
    document.body.replaceChildren();
  } catch {
    // leaving matters more
  }
  location.replace(EXIT_URL);
}

/** Escape leaves the site from anywhere on the page. */
export function installEscapeExit(): void {
  document.addEventListener(
    'keydown',
    (e) => {
      if (e.key === 'Escape' || e.key === 'Esc') {
        e.preventDefault();
        quickExit();
      }
    },
    true,
  );
}

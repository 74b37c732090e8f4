/**
 * Device safety: the quick exit. It wipes what the page holds in memory, blanks the
 * page and leaves for a neutral site with location.replace, so Back does not return here.
 * The wizard pushes one history entry per step (so the phone's Back button moves between
 * steps); the exit first walks back over those entries, so that none of them is left
 * behind the neutral site either.
 */

/** A neutral, common site to land on. */
export const EXIT_URL = 'https://www.bbc.co.uk/weather';

const wipers = new Set<() => void>();
let leaving = false;
/** How many entries this page has pushed on top of the one it was opened with. */
let pushed = 0;
let leaveGuard: (() => boolean) | undefined;

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

/** Record how deep in its own history entries the page is (the wizard calls this on every push and pop). */
export function setHistoryDepth(depth: number): void {
  pushed = Math.max(0, depth);
}

/**
 * Ask before a reload or a navigation away while `guard()` says something would be lost.
 * The quick exit never asks.
 */
export function setLeaveGuard(guard: (() => boolean) | undefined): void {
  leaveGuard = guard;
}

if (typeof window !== 'undefined') {
  window.addEventListener('beforeunload', (e) => {
    if (leaving || !leaveGuard?.()) return;
    e.preventDefault();
    // Older browsers need returnValue set; the text is the browser's own.
    e.returnValue = '';
  });
}

/** Leave now: wipe, blank the page, go back over our own entries, replace the first with a neutral site. */
export function quickExit(): void {
  leaving = true;
  leaveGuard = undefined;
  wipeAll();
  try {
    document.title = '';
    document.body.replaceChildren();
  } catch {
    // leaving matters more
  }
  if (pushed === 0) {
    location.replace(EXIT_URL);
    return;
  }
  let gone = false;
  const go = () => {
    if (gone) return;
    gone = true;
    location.replace(EXIT_URL);
  };
  window.addEventListener('popstate', go, { once: true });
  // A traversal that does not happen (blocked, or too slow) must not keep the person here.
  setTimeout(go, 300);
  try {
    history.go(-pushed);
  } catch {
    go();
  }
}

let escapeArmedUntil = 0;
let onArmed: ((armed: boolean) => void) | undefined;

/** Called with true when Escape was pressed once inside a text field (the page shows "press again"), false when that lapses. */
export function onEscapeArmed(fn: ((armed: boolean) => void) | undefined): void {
  onArmed = fn;
}

/** Text entry (where Escape also closes pickers and suggestions) needs Escape twice. */
function typingIn(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  if (el.isContentEditable || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  if (!(el instanceof HTMLInputElement)) return false;
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'range', 'color', 'image'].includes(el.type);
}

/** How long a first Escape inside a text field stays armed. */
export const ESCAPE_WINDOW_MS = 2000;

/**
 * Escape leaves the site at once when focus is not in a text field. Inside one, Escape
 * closes date pickers and suggestions, so a single press must not wipe a report: the
 * first press arms the exit and the page says so, a second within two seconds leaves.
 */
export function installEscapeExit(): void {
  document.addEventListener(
    'keydown',
    (e) => {
      if (e.key !== 'Escape' && e.key !== 'Esc') return;
      const now = Date.now();
      if (!typingIn(e.target) || now < escapeArmedUntil) {
        e.preventDefault();
        quickExit();
        return;
      }
      escapeArmedUntil = now + ESCAPE_WINDOW_MS;
      onArmed?.(true);
      setTimeout(() => {
        if (Date.now() >= escapeArmedUntil) onArmed?.(false);
      }, ESCAPE_WINDOW_MS + 50);
    },
    true,
  );
}

/** Whether a report is being sent right now: the page frame disables its links meanwhile (leaving would lose the send). */
import { useEffect, useState } from 'preact/hooks';

let busy = false;
const listeners = new Set<(b: boolean) => void>();

export function setBusy(b: boolean): void {
  if (busy === b) return;
  busy = b;
  for (const l of listeners) l(b);
}

export function useBusy(): boolean {
  const [b, set] = useState(busy);
  useEffect(() => {
    listeners.add(set);
    return () => void listeners.delete(set);
  }, []);
  return b;
}

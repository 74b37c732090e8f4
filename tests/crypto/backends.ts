/** Test helper: run a suite once per primitives backend. */
import { loadSodiumBackend, nobleBackend, useBackend, type Primitives } from '../../crypto/index.js';

export const backendNames = ['noble', 'sodium'] as const;

export async function backend(name: (typeof backendNames)[number]): Promise<Primitives> {
  return name === 'noble' ? nobleBackend : await loadSodiumBackend();
}

/** Install the named backend for the rest of the current suite. */
export async function installBackend(name: (typeof backendNames)[number]): Promise<void> {
  useBackend(await backend(name));
}

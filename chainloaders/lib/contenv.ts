// Where s6-overlay keeps the container environment (an envdir written at boot): v3's /run path,
// or the /var/run path of v2 layouts.
import { statSync } from 'node:fs';

export const CONTENV_DIRS = ['/run/s6/container_environment', '/var/run/s6/container_environment'];

/** The container environment directory: the first that exists (the v3 one by default). */
export function contenvDir(): string {
  for (const d of CONTENV_DIRS) {
    try {
      if (statSync(d).isDirectory()) return d;
    } catch {
      /* next */
    }
  }
  return CONTENV_DIRS[0];
}

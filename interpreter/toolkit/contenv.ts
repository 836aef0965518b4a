// Where s6-overlay keeps the container environment (an envdir written at boot): v3's /run path,
// or the /var/run path of v2 layouts. And S6_KEEP_ENV, which tells s6-overlay v3 not to write
// it: its readers then take the environment they were given.
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

/**
 * with-contenv's test: `importas -D 0 S6_KEEP_ENV S6_KEEP_ENV eltest 0${S6_KEEP_ENV} -eq 0`
 * loads the container environment. eltest reads the leading digits of "0..." as an int (junk
 * after them is ignored, an overflow stops the scan), so the environment is kept exactly when
 * the value's leading digits hold a non-zero digit: "1", "01", "1abc", "1 " keep it; unset, "",
 * "0", "00", "yes", " 1", "-1" load the container environment.
 */
export function keepEnvWithContenv(value: string | undefined): boolean {
  return value !== undefined && /^0*[1-9]/.test(value);
}

const INTMAX = 9223372036854775807n;

/**
 * printcontenv's test: `test "0$S6_KEEP_ENV" -ne 0` (sh, strtoimax on the whole word, trailing
 * blanks allowed). A value that is not such a number makes `test` fail, and printcontenv reads
 * the container environment: only a non-zero decimal that fits intmax_t keeps the environment.
 */
export function keepEnvPrintcontenv(value: string | undefined): boolean {
  if (value === undefined) return false;
  const m = /^([0-9]*)[ \t\n\v\f\r]*$/.exec(value);
  if (!m) return false;
  const n = BigInt('0' + m[1]);
  return n !== 0n && n <= INTMAX;
}

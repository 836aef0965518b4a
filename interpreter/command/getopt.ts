// POSIX getopt as skalibs' subgetopt does it: clustered flags (-sn), an option argument either
// glued (-d:) or in the next word (-d :), "--" ends options, "-" alone is an operand, and the
// first operand stops the scan. Any unknown option or missing argument is a usage error.

/** One parsed option: its letter and, for options declared with ':', its argument. */
export interface Opt {
  key: string;
  arg: string;
}

export interface Parsed {
  opts: Opt[];
  /** Index in argv of the first operand (after options and a possible "--"). */
  index: number;
}

/**
 * Parses argv from `start` with a getopt spec like "sd:Cc". Returns null on a bad option, so the
 * caller prints its own usage line, exactly as the reference does.
 */
export function getopt(argv: readonly string[], spec: string, start = 1): Parsed | null {
  const opts: Opt[] = [];
  let i = start;
  while (i < argv.length) {
    const w = argv[i];
    if (w.length < 2 || w[0] !== '-') break;
    if (w === '--') {
      i++;
      break;
    }
    let j = 1;
    i++;
    while (j < w.length) {
      const c = w[j++];
      const at = spec.indexOf(c);
      if (c === ':' || at < 0) return null;
      if (spec[at + 1] === ':') {
        if (j < w.length) {
          opts.push({ key: c, arg: w.slice(j) });
        } else if (i < argv.length) {
          opts.push({ key: c, arg: argv[i++] });
        } else {
          return null;
        }
        break;
      }
      opts.push({ key: c, arg: '' });
    }
  }
  return { opts, index: i };
}

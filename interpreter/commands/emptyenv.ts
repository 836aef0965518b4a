// emptyenv: empties the environment (-p keeps PATH), or cleans out execline's own variables
// (-c), or pops the positional parameters (-P) and/or the ELGETOPT_ variables (-o).
import { defineCommand, options } from '../command/command.js';
import { usage } from '../command/errors.js';
import { POSITIONAL_PREFIXES, mergeEnv, popPositionals } from '../runtime/env.js';

const INTERNAL = /^(ELGETOPT_|EXECLINE_|FD|#|[0-9])/;

export const emptyenv = defineCommand({
  names: ['emptyenv'],
  prog: 'emptyenv',
  usage: 'emptyenv [ -p | -c | -o | -P ] prog...',
  run(st, argv) {
    const { opts, index } = options(this, argv, 'pcoP');
    const f = new Set(opts.map((o) => o.key));
    if (index >= argv.length) usage(this.prog, this.usage);
    if (f.has('c')) {
      const gone = ['!', '?', ...[...st.env.keys()].filter((k) => INTERNAL.test(k))];
      mergeEnv(
        st,
        gone.map((k) => [k, null] as const),
      );
    } else if (!f.has('o') && !f.has('P')) {
      const path = st.env.get('PATH');
      st.env.clear();
      if (f.has('p') && path !== undefined) st.env.set('PATH', path);
    } else {
      const prefixes = f.has('P') ? [...POSITIONAL_PREFIXES] : [];
      if (f.has('o')) prefixes.push('ELGETOPT_');
      popPositionals(st, prefixes);
    }
    return argv.slice(index);
  },
});

// emptyenv: empties the environment (-p keeps PATH), or cleans out execline's own variables
// (-c), or pops the positional parameters (-P) and/or the ELGETOPT_ variables (-o).
import { POSITIONAL_PREFIXES } from '../command/positionals.js';
import { defineCommand, options } from '../command/command.js';
import { usage } from '../command/errors.js';

const INTERNAL = /^(ELGETOPT_|EXECLINE_|FD|#|[0-9])/;

export const emptyenv = defineCommand({
  names: ['emptyenv'],
  prog: 'emptyenv',
  usage: 'emptyenv [ -p | -c | -o | -P ] prog...',
  run(ctx, argv) {
    const { opts, index } = options(this, argv, 'pcoP');
    const f = new Set(opts.map((o) => o.key));
    if (index >= argv.length) usage(this.prog, this.usage);
    if (f.has('c')) {
      const gone = ['!', '?', ...[...ctx.env.keys()].filter((k) => INTERNAL.test(k))];
      ctx.mergeEnv(gone.map((k) => [k, null] as const));
    } else if (!f.has('o') && !f.has('P')) {
      const path = ctx.env.get('PATH');
      ctx.clearEnv();
      if (f.has('p') && path !== undefined) ctx.setEnv('PATH', path);
    } else {
      const prefixes = f.has('P') ? [...POSITIONAL_PREFIXES] : [];
      if (f.has('o')) prefixes.push('ELGETOPT_');
      ctx.popPositionals(prefixes);
    }
    return argv.slice(index);
  },
});

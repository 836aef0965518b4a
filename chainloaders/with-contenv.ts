// with-contenv (s6-overlay v3): runs a program with the container environment. Unless
// S6_KEEP_ENV is set to something other than 0, that is `emptyenv -p` followed by
// `s6-envdir -Lf` on the container environment directory; with it, the environment is kept.
import { defineCommand } from '../interpreter/command.js';
import { fatal, strerror, usage } from '../interpreter/errors.js';
import { applyChanges, readEnvdir } from './lib/envdir.js';
import { contenvDir } from './lib/contenv.js';

export const withContenv = defineCommand({
  names: ['with-contenv'],
  prog: 'with-contenv',
  usage: 'with-contenv prog...',
  run(st, argv) {
    if (argv.length < 2) usage(this.prog, this.usage);
    const keep = st.env.get('S6_KEEP_ENV');
    if (keep !== undefined && keep !== '' && keep !== '0') return argv.slice(1);
    const dir = contenvDir();
    let changes;
    try {
      changes = readEnvdir(dir, { verbatim: true, noChomp: false, noClamp: true, nullis: '\n' });
    } catch (e) {
      fatal('s6-envdir', 111, 'unable to envdir ', dir, ': ', strerror(e));
    }
    const path = st.env.get('PATH');
    st.env.clear();
    if (path !== undefined) st.env.set('PATH', path);
    applyChanges(st, changes);
    return argv.slice(1);
  },
});

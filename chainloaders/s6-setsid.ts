// s6-setsid: makes the program a session leader (-s), or a process group leader in the background
// (-b) or the foreground (-f, -g grabbing the terminal). Done right before exec; -i makes a
// failure fatal, -I (the default) a warning, -q silent.
import { defineCommand, options } from '../interpreter/command.js';
import { usage } from '../interpreter/errors.js';
import { scanWhole } from './lib/numbers.js';
import { isOpen } from './lib/fds.js';

export const s6setsid = defineCommand({
  names: ['s6-setsid'],
  prog: 's6-setsid',
  usage: 's6-setsid [ -s | -b | -f | -g ] [ -i | -I | -q ] [ -d ctty ] prog...',
  run(st, argv) {
    const { opts, index } = options(this, argv, 'sbfgiIqd:');
    let mode: 's' | 'b' | 'f' | 'g' = 's';
    let insist: 0 | 1 | 2 = 1;
    let ctty = 0;
    for (const o of opts) {
      switch (o.key) {
        case 's': case 'b': case 'f': case 'g': mode = o.key; break;
        case 'i': insist = 2; break;
        case 'I': insist = 1; break;
        case 'q': insist = 0; break;
        case 'd': {
          const v = scanWhole(o.arg);
          if (v === null) usage(this.prog, this.usage);
          ctty = v;
          break;
        }
      }
    }
    if (index >= argv.length) usage(this.prog, this.usage);
    const steps = st.session?.steps?.slice() ?? [];
    // The tty fd is looked at now, in the program's table: a closed one fails as EBADF later.
    steps.push({ mode, insist, ctty: mode === 'f' || mode === 'g' ? (isOpen(st, ctty) ? ctty : -1) : ctty, prog: this.prog });
    st.session = { ...(st.session ?? {}), steps };
    return argv.slice(index);
  },
});

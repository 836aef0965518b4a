// s6-setsid: makes the process a session leader (-s), or a process group leader in the background
// (-b) or the foreground (-f, -g grabbing the terminal); -i makes a failure fatal, -I (the
// default) a warning, -q silent. Done to the real process at once, as the reference does, so the
// children the chain starts afterwards are members of the new session or group, and messages go
// to the stderr of this point of the chain. A virtual child has no process of its own to change:
// the rest of it becomes a real one (a Node child), which runs s6-setsid for real.
import { defineCommand, options } from '../interpreter/command/command.js';
import { usage } from '../interpreter/command/errors.js';
import { uint0Scan } from '../interpreter/toolkit/numbers.js';

export const s6setsid = defineCommand({
  names: ['s6-setsid'],
  prog: 's6-setsid',
  usage: 's6-setsid [ -s | -b | -f | -g ] [ -i | -I | -q ] [ -d ctty ] prog...',
  run(ctx, argv) {
    const { opts, index } = options(this, argv, 'sbfgiIqd:');
    let mode: 's' | 'b' | 'f' | 'g' = 's';
    let insist: 0 | 1 | 2 = 1;
    let ctty = 0;
    for (const o of opts) {
      switch (o.key) {
        case 's':
        case 'b':
        case 'f':
        case 'g':
          mode = o.key;
          break;
        case 'i':
          insist = 2;
          break;
        case 'I':
          insist = 1;
          break;
        case 'q':
          insist = 0;
          break;
        case 'd': {
          const v = uint0Scan(o.arg);
          if (v === null) usage(this.prog, this.usage);
          ctty = v;
          break;
        }
      }
    }
    if (index >= argv.length) usage(this.prog, this.usage);
    // A session or process group is a process's own: a virtual child becomes a real one first.
    const real = ctx.realProcess(argv);
    if (real) return real;
    ctx.setSession(mode, insist, ctty);
    return argv.slice(index);
  },
});

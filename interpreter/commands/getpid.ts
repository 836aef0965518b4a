// getpid: stores the pid of the process (or of its parent, -P) in a variable, or substitutes it
// into the command line (-E).
import { defineCommand, options, requireVariable } from '../command/command.js';
import { usage } from '../command/errors.js';
import { setEnv } from '../runtime/env.js';
import { selfArgv } from '../runtime/trampoline.js';

export const getpid = defineCommand({
  names: ['getpid'],
  prog: 'getpid',
  usage: 'getpid [ -E | -e ] [ -P | -p ] variable prog...',
  run(st, argv) {
    const { opts, index } = options(this, argv, 'EePp');
    let doImport = false;
    let parent = false;
    for (const o of opts) {
      if (o.key === 'E') doImport = true;
      else if (o.key === 'e') doImport = false;
      else parent = o.key === 'P';
    }
    if (argv.length - index < 2) usage(this.prog, this.usage);
    const name = argv[index];
    requireVariable(this.prog, name);
    // Inside a virtual child this process plays the parent's part: its pid is the child's ppid,
    // and the child's own pid only exists once a real process runs the rest.
    if (st.virtual && !parent) return selfArgv(argv);
    const pid = parent ? (st.virtual ? process.pid : process.ppid) : process.pid;
    setEnv(st, name, String(pid));
    const rest = argv.slice(index + 1);
    return doImport ? ['importas', '-ui', name, name, ...rest] : rest;
  },
});

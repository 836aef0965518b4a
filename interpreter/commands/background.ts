// background: starts a block as a child without waiting for it, sets ! to its pid, and goes on.
import { defineCommand, options } from '../command/command.js';
import { readBlock } from '../command/block.js';
import { execDie, Exit, EXIT_USAGE, fatal, fatalSpawn } from '../command/errors.js';
import { setEnv } from '../runtime/env.js';
import { startChild } from '../runtime/trampoline.js';
import { failingChild } from '../command/child.js';

export const background = defineCommand({
  names: ['background'],
  prog: 'background',
  usage: 'background [ -d ] { command... }',
  run(st, argv) {
    const { opts, index } = options(this, argv, 'd');
    const block = readBlock(st, argv, index);
    if (block.argv.length === 0) fatal(this.prog, EXIT_USAGE, 'empty block');
    const rest = argv.slice(block.next);
    // -d (doublefork) makes the program a grandchild, which wait does not see; without a
    // remainder there is nothing left to run, so the reference forks once.
    const detach = opts.some((o) => o.key === 'd') && rest.length > 0;
    const r = startChild(st, block.argv);
    let pid: number;
    if ('spawnError' in r) {
      if (!detach) fatalSpawn(this.prog, block.argv[0], r.spawnError);
      const d = execDie(`${this.prog} (grandchild)`, block.argv[0], r.spawnError);
      pid = failingChild(st, d.message, d.code);
    } else {
      pid = r.pid;
      if (detach) r.cp.unref();
      else st.children.push(r.cp);
    }
    if (rest.length === 0) throw new Exit(0);
    setEnv(st, '!', String(pid));
    return rest;
  },
});

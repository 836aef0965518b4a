// background: starts a block as a child without waiting for it, sets ! to its pid, and goes on.
import { childProcess } from '../lazy.js';
import { defineCommand, options } from '../command.js';
import { readBlock } from '../block.js';
import { Die, Exit, errcode, strerror } from '../errors.js';
import { setEnv } from '../env.js';
import { realFd, type State } from '../state.js';
import { startChild } from '../trampoline.js';

/** startChild, with a spawn that throws (E2BIG: a huge argv for a Node child) as a spawn error. */
function startOrError(st: State, argv: string[]): ReturnType<typeof startChild> {
  try {
    return startChild(st, argv);
  } catch (e) {
    return { spawnError: errcode(e) ?? 'EIO' };
  }
}

/**
 * A child that only reports, as the reference's grandchild does when it cannot exec: it still
 * has a pid for !, and its message comes from another process, at its own pace.
 */
function failingChild(st: State, message: string, code: number): number {
  const err = realFd(st, 2);
  const cp = childProcess().spawn('/bin/sh', ['-c', 'printf "%s\\n" "$1" >&2; exit "$2"', 'sh', message, String(code)], {
    stdio: ['ignore', 'ignore', err < 0 ? 'ignore' : err],
  });
  cp.on('error', () => {});
  cp.unref();
  return cp.pid ?? 0;
}

export const background = defineCommand({
  names: ['background'],
  prog: 'background',
  usage: 'background [ -d ] { command... }',
  run(st, argv) {
    const { opts, index } = options(this, argv, 'd');
    const block = readBlock(st, argv, index);
    if (block.argv.length === 0) throw new Die(100, `${this.prog}: fatal: empty block`);
    const rest = argv.slice(block.next);
    // -d (doublefork) makes the program a grandchild, which wait does not see; without a
    // remainder there is nothing left to run, so the reference forks once.
    const detach = opts.some((o) => o.key === 'd') && rest.length > 0;
    const r = startOrError(st, block.argv);
    let pid: number;
    if ('spawnError' in r) {
      const msg = `unable to spawn ${block.argv[0]}: ${strerror({ code: r.spawnError })}`;
      if (!detach) throw new Die(111, `${this.prog}: fatal: ${msg}`);
      const code = r.spawnError === 'ENOENT' ? 127 : 126;
      pid = failingChild(st, `${this.prog} (grandchild): fatal: unable to exec ${block.argv[0]}: ${strerror({ code: r.spawnError })}`, code);
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

// trap: runs the rest as a child and, while waiting for it, runs a block for each signal it
// catches (or forwards the signal to the child with -x); exits as the child does.
import type { Child } from '../command/context.js';
import { NSIG, SIGNALS, nodeSignalName, signalName } from '../platform/linux.js';
import { defineCommand, options } from '../command/command.js';
import { uint0Scan } from '../toolkit/numbers.js';
import { readBlock, BlockUnterminated } from '../command/block.js';
import { type Die, Exit, EXIT_USAGE, fatal, fatalSpawn, spawnDie, usage } from '../command/errors.js';
import { approximate } from '../command/child.js';

const { KILL: SIGKILL, STOP: SIGSTOP, CHLD: SIGCHLD } = SIGNALS;

/** sig0_scan: a signal name (any case, SIG prefix optional) or number; null if not one. */
export function parseSignal(word: string): number | null {
  const w = /^sig/i.test(word) ? word.slice(3) : word;
  if (/^[0-9]+$/.test(w)) return uint0Scan(w);
  const up = w.toUpperCase();
  return Object.hasOwn(SIGNALS, up) ? SIGNALS[up] : null;
}

export const trap = defineCommand({
  names: ['trap'],
  prog: 'trap',
  usage: 'trap [ -x ] { signal { cmdline } ... } prog...',
  async run(ctx, argv) {
    const { opts, index } = options(this, argv, 'xt:');
    let xfer = false;
    for (const o of opts) {
      if (o.key === 't') usage(this.prog, this.usage);
      xfer = true;
    }
    if (index >= argv.length) usage(this.prog, this.usage);
    if (argv[index] === '') fatal(this.prog, EXIT_USAGE, 'empty block');
    let block: ReturnType<typeof readBlock>;
    try {
      block = readBlock(ctx, argv, index);
    } catch (e) {
      if (e instanceof BlockUnterminated) fatal(this.prog, EXIT_USAGE, 'unterminated block');
      throw e;
    }
    const rest = argv.slice(block.next);
    if (rest.length === 0) usage(this.prog, this.usage);

    const handlers = new Map<number, string[]>();
    const words = block.argv;
    let i = 0;
    while (i < words.length) {
      const word = words[i++];
      let sig = parseSignal(word);
      if (sig === null) {
        if (word.toLowerCase() !== 'default') fatal(this.prog, EXIT_USAGE, `unrecognized directive: ${word}`);
        sig = 0;
      }
      let inner: ReturnType<typeof readBlock>;
      try {
        inner = readBlock(ctx, words, i, 2);
      } catch (e) {
        if (e instanceof BlockUnterminated) fatal(this.prog, EXIT_USAGE, `unterminated internal block for directive ${word}`);
        throw e;
      }
      // Past the reference's table (98 and up) its check reads garbage and calls them duplicates.
      if (handlers.has(sig) || sig >= 98) fatal(this.prog, EXIT_USAGE, `duplicate directive: ${word}`);
      if (sig !== 0 && (sig === SIGKILL || sig === SIGSTOP || sig === SIGCHLD || sig >= NSIG)) {
        fatal(this.prog, EXIT_USAGE, `SIG${signalName(sig)} (${sig}) cannot be trapped`);
      }
      handlers.set(sig, inner.argv);
      i = inner.next;
    }
    const def = handlers.get(0);
    if (def) for (let s = 1; s < NSIG; s++) if (!handlers.has(s) && s !== SIGKILL && s !== SIGSTOP) handlers.set(s, def);

    // The signals caught: all of them with -x, else those with a directive.
    const caught: number[] = [];
    for (let s = 1; s < NSIG; s++) {
      if (s === SIGKILL || s === SIGSTOP || s === SIGCHLD) continue;
      if (xfer || handlers.has(s)) caught.push(s);
    }

    let progPid = 0;
    const running = new Map<number, Child>();
    let failure: Die | null = null;
    let wake: () => void = () => {};

    const onSignal = (sig: number) => {
      const h = handlers.get(sig);
      if (!h) {
        try {
          if (progPid) process.kill(progPid, sig);
        } catch {
          /* gone already */
        }
        return;
      }
      if (running.has(sig) || h.length === 0) return;
      const c = ctx.startChild(h, {
        env: [
          ['!', String(progPid)],
          ['SIGNAL', String(sig)],
        ],
      });
      if ('spawnError' in c) {
        failure = spawnDie(this.prog, h[0], c.spawnError);
        wake();
        return;
      }
      running.set(sig, c.child);
      c.child.once('exit', () => running.delete(sig));
    };

    const listeners: Array<[NodeJS.Signals, () => void]> = [];
    for (const s of caught) {
      const name = nodeSignalName(s);
      if (!name) continue;
      const fn = () => onSignal(s);
      try {
        process.on(name, fn);
        listeners.push([name, fn]);
      } catch {
        /* a signal Node will not let us catch */
      }
    }
    const r = ctx.startChild(rest);
    if ('spawnError' in r) {
      for (const [name, fn] of listeners) process.removeListener(name, fn);
      fatalSpawn(this.prog, rest[0], r.spawnError);
    }
    const prog = r.child;
    progPid = r.pid;
    try {
      const code = await new Promise<number>((resolve) => {
        wake = () => resolve(-1);
        const done = () => {
          // The "approximation of the same exit code" (measured on 2.9.3: exitcodes.html's rule).
          resolve(approximate(prog.status!));
        };
        if (prog.status) done();
        else prog.once('exit', done);
      });
      if (failure) throw failure;
      throw new Exit(code);
    } finally {
      for (const [name, fn] of listeners) process.removeListener(name, fn);
    }
  },
});

// wait: waits for children started earlier in the chain (all of them, or the listed pids, or just
// one of them with -o), possibly with a timeout, then goes on. Without a block, the rest of the
// line is the pid list and wait exits with a POSIX-like code instead of going on.
import type { Child, Context } from '../command/context.js';
import { defineCommand, options } from '../command/command.js';
import { approximate } from '../command/child.js';
import { readBlock } from '../command/block.js';
import { Exit, fatalSys, usage } from '../command/errors.js';
import { uint0Scan } from '../toolkit/numbers.js';

const USAGE = 'wait [ -I | -i ] [ -a | -o ] [ -r | -t timeout ] { pids... } [ prog... ]';

function isDead(cp: Child): boolean {
  return cp.status !== null;
}

/** Lets the event loop notice children that died while it was blocked (SIGCHLD is read in poll). */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

/**
 * Reaps the next dead child of the state, as wait(2) does: removes it from ctx.children and returns
 * it. Null when there is no child left (ECHILD), or when the deadline passes first ('timeout').
 */
async function reapOne(ctx: Context, deadline: number | null): Promise<Child | null | 'timeout'> {
  for (;;) {
    const dead = ctx.children.find(isDead);
    if (dead) {
      ctx.children.splice(ctx.children.indexOf(dead), 1);
      return dead;
    }
    if (ctx.children.length === 0) return null;
    const left = deadline === null ? null : deadline - Date.now();
    if (left !== null && left <= 0) {
      await settle();
      if (ctx.children.some(isDead)) continue;
      return 'timeout';
    }
    await new Promise<void>((resolve) => {
      const done = () => {
        if (timer) clearTimeout(timer);
        for (const c of watched) c.removeListener('exit', done);
        resolve();
      };
      const watched = ctx.children.slice();
      for (const c of watched) c.once('exit', done);
      const timer = left === null ? null : setTimeout(done, left);
    });
  }
}

export const wait = defineCommand({
  names: ['wait'],
  prog: 'wait',
  usage: USAGE,
  async run(ctx, argv) {
    const { opts, index } = options(this, argv, 'iIaort:');
    let insist = false;
    let justOne = false;
    let timeout: string | null = null;
    let reap = false;
    for (const o of opts) {
      if (o.key === 'i') insist = true;
      else if (o.key === 'I') insist = false;
      else if (o.key === 'o') justOne = true;
      else if (o.key === 'a') justOne = false;
      else if (o.key === 'r') reap = true;
      else timeout = o.arg;
    }
    if (reap) timeout = '0';
    let ms: number | null = null;
    if (timeout !== null) {
      ms = uint0Scan(timeout);
      if (ms === null) usage(this.prog, this.usage);
    }
    // The pid list: a block, or (without one) the whole rest of the line, read with the usual
    // EXECLINE_STRICT checks either way.
    let end = argv.indexOf('', index);
    const hasBlock = end >= 0;
    if (!hasBlock) end = argv.length;
    const words = readBlock(ctx, hasBlock ? argv : argv.concat(['']), index).argv;
    const pids: number[] = [];
    for (const w of words) {
      // A pid: an optional minus sign, then at most INT_MAX.
      const v = uint0Scan(w.startsWith('-') ? w.slice(1) : w, 0x7fffffff);
      if (v === null) usage(this.prog, this.usage);
      pids.push(w.startsWith('-') ? -v : v);
    }
    const listed = pids.length > 0;
    const deadline = ms === null ? null : Date.now() + ms;

    // e: the status to report (-1: none), pid: the child it belongs to.
    let e = -1;
    let pid = -1;
    if (ms !== null) {
      const pending = pids.slice();
      const special = listed ? pids[pids.length - 1] : 0;
      e = special ? -1 : 0;
      for (;;) {
        const c = await reapOne(ctx, deadline);
        if (c === 'timeout') {
          if (insist) fatalSys(this.prog, 99, 'wait', 'ETIMEDOUT');
          e = -1;
          break;
        }
        if (c === null) break;
        const at = pending.indexOf(c.pid!);
        if (listed && at < 0) continue;
        if (at >= 0) pending.splice(at, 1);
        if (justOne || c.pid === special) {
          pid = c.pid!;
          e = approximate(c.status!);
        }
        if (justOne || (listed && pending.length === 0)) break;
      }
    } else if (justOne) {
      for (;;) {
        const c = (await reapOne(ctx, null)) as Child | null;
        if (c === null) break;
        if (listed && !pids.includes(c.pid!)) continue;
        pid = c.pid!;
        e = approximate(c.status!);
        break;
      }
    } else if (listed) {
      const pending = pids.slice();
      const wanted = pids[pids.length - 1];
      while (pending.length) {
        const c = (await reapOne(ctx, null)) as Child | null;
        if (c === null) break;
        const at = pending.indexOf(c.pid!);
        if (at >= 0) pending.splice(at, 1);
        if (c.pid === wanted) e = approximate(c.status!);
      }
    } else {
      while ((await reapOne(ctx, null)) !== null);
      e = 0;
    }

    if (!hasBlock) throw new Exit(e >= 0 ? e : 127);
    const rest = argv.slice(end + 1);
    if (justOne)
      ctx.mergeEnv(
        e < 0
          ? [
              ['?', null],
              ['!', null],
            ]
          : [
              ['?', String(e)],
              ['!', String(pid)],
            ],
      );
    if (rest.length === 0) throw new Exit(0);
    return rest;
  },
});

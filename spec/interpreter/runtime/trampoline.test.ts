// interpreter/runtime/trampoline.ts on its own, over a small fake command table: chain() runs our
// commands in order on the state until an external name, lookup() knows names and launcher paths,
// and runChild() runs a block of our commands as a virtual child (nothing here reaches an
// external program, so nothing is spawned).
import { chmodSync, closeSync, constants as fsc, fstatSync, mkdtempSync, openSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Command, type CommandEntry, defineCommand } from '../../../interpreter/command/command.js';
import { commandTable } from '../../../interpreter/command/commands.generated.js';
import { Die, Exit, Killed, fatal, setStderrFd, warn } from '../../../interpreter/command/errors.js';
import { setCommandTable } from '../../../interpreter/command/registry.js';
import type { ProcessContext } from '../../../interpreter/runtime/context.js';
import { isSelf, selfArgv } from '../../../interpreter/runtime/exec.js';
import { forkState, makeState, type State } from '../../../interpreter/runtime/state.js';
import { chain, lookup, runChild, startChild } from '../../../interpreter/runtime/trampoline.js';
import { LAUNCHER_MARK } from '../../../interpreter/runtime/self.js';

/** What the commands did, in order. */
const log: string[] = [];
/** What `rec` saw each time it ran. */
const seen: Array<{ argv: string[]; prog: string; st: State; searchPath: string | undefined; argv0: string | null; virtual: boolean }> = [];
const loads = new Map<string, number>();

const stateOf = (ctx: unknown) => (ctx as ProcessContext).st;

const commands: Command[] = [
  defineCommand({
    names: ['setx'],
    prog: 'setx',
    usage: 'setx value prog...',
    run(ctx, argv) {
      log.push(`setx ${argv[1]}`);
      ctx.setEnv('X', argv[1]);
      return argv.slice(2);
    },
  }),
  defineCommand({
    names: ['setpath'],
    prog: 'setpath',
    usage: 'setpath dirs prog...',
    run(ctx, argv) {
      log.push('setpath');
      ctx.setEnv('PATH', argv[1]);
      return argv.slice(2);
    },
  }),
  defineCommand({
    names: ['rec', 'rec-alias'],
    prog: 'recorder',
    usage: 'rec prog...',
    run(ctx, argv) {
      log.push('rec');
      const st = stateOf(ctx);
      seen.push({ argv: argv.slice(), prog: ctx.prog, st, searchPath: st.searchPath, argv0: st.argv0, virtual: st.virtual });
      return argv.slice(1);
    },
  }),
  defineCommand({
    names: ['setargv0'],
    prog: 'setargv0',
    usage: 'setargv0 name prog...',
    run(ctx, argv) {
      ctx.setArgv0(argv[1]);
      return argv.slice(2);
    },
  }),
  defineCommand({
    names: ['warner'],
    prog: 'warner',
    usage: 'warner text prog...',
    run(_ctx, argv) {
      warn('warner', argv[1]);
      return argv.slice(2);
    },
  }),
  defineCommand({
    names: ['movefd2'],
    prog: 'movefd2',
    usage: 'movefd2 realfd prog...',
    run(ctx, argv) {
      ctx.setFd(2, Number(argv[1]));
      return argv.slice(2);
    },
  }),
  defineCommand({
    names: ['empty'],
    prog: 'emptycmd',
    usage: 'empty',
    run() {
      log.push('empty');
      return [];
    },
  }),
  defineCommand({
    names: ['asyncrec'],
    prog: 'asyncrec',
    usage: 'asyncrec prog...',
    async run(_ctx, argv) {
      await new Promise((r) => setImmediate(r));
      log.push('asyncrec');
      return argv.slice(1);
    },
  }),
  defineCommand({
    names: ['asuser'],
    prog: 'asuser',
    usage: 'asuser prog...',
    run(ctx, argv) {
      log.push('asuser');
      // Always allowed: the uid the identity already has. The state has credentials after it.
      ctx.setUid(ctx.identity().euid);
      return argv.slice(1);
    },
  }),
  defineCommand({
    names: ['quit'],
    prog: 'quit',
    usage: 'quit code',
    run(_ctx, argv) {
      log.push('quit');
      throw new Exit(Number(argv[1]));
    },
  }),
  defineCommand({
    names: ['die'],
    prog: 'die',
    usage: 'die',
    run() {
      fatal('die', 100, 'boom');
    },
  }),
  defineCommand({
    names: ['sigpipe'],
    prog: 'sigpipe',
    usage: 'sigpipe',
    run() {
      throw new Killed(13);
    },
  }),
  defineCommand({
    names: ['oops'],
    prog: 'oops',
    usage: 'oops',
    run() {
      throw new Error('kaboom');
    },
  }),
  defineCommand({
    names: ['cdmask'],
    prog: 'cdmask',
    usage: 'cdmask dir mask prog...',
    run(ctx, argv) {
      ctx.chdir(argv[1]);
      ctx.setUmask(Number.parseInt(argv[2], 8));
      return argv.slice(3);
    },
  }),
  defineCommand({
    names: ['openfile'],
    prog: 'openfile',
    usage: 'openfile path prog...',
    run(ctx, argv) {
      const fd = ctx.openForTable(Buffer.from(argv[1]), fsc.O_RDONLY);
      ctx.setFd(7, fd);
      log.push(`openfile ${fd}`);
      return argv.slice(2);
    },
  }),
  defineCommand({
    names: ['block'],
    prog: 'block',
    usage: 'block prog...',
    async run(ctx, argv) {
      const r = await ctx.runChild(['setx', 'inner', 'rec', 'quit', '5']);
      log.push(`block ${JSON.stringify(r)}`);
      return argv.slice(1);
    },
  }),
];

const table: CommandEntry[] = commands.map((c) => ({
  names: c.names,
  load: async () => {
    loads.set(c.names[0], (loads.get(c.names[0]) ?? 0) + 1);
    return c;
  },
}));

const entryOf = (name: string) => table.find((e) => e.names.includes(name));

const dir = mkdtempSync(join(tmpdir(), 'elts-trampoline-'));

beforeAll(() => setCommandTable(table));
afterAll(() => {
  // The real table back, for anything else this worker runs.
  setCommandTable(commandTable);
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  log.length = 0;
  seen.length = 0;
});

function start(env: Array<[string, string]> = [['PATH', '/old']]): State {
  return makeState('start', new Map(env));
}

/** The Die (or other error) a promise rejects with. */
async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('did not reject');
}

describe('chain', () => {
  it('runs our commands in order on the state and returns the first external argv', async () => {
    const st = start();
    const ext = await chain(st, ['setx', 'v', 'rec', 'asyncrec', 'rec-alias', 'ext', 'arg']);
    expect(ext).toEqual(['ext', 'arg']);
    expect(log).toEqual(['setx v', 'rec', 'asyncrec', 'rec']);
    expect([...st.env]).toEqual([
      ['PATH', '/old'],
      ['X', 'v'],
    ]);
    expect(seen.map((s) => s.argv)).toEqual([
      ['rec', 'asyncrec', 'rec-alias', 'ext', 'arg'],
      ['rec-alias', 'ext', 'arg'],
    ]);
    // Each command runs on the state itself, under its own message name.
    expect(seen[0].st).toBe(st);
    expect(seen.map((s) => s.prog)).toEqual(['recorder', 'recorder']);
    expect(st.prog).toBe('recorder');
  });

  it('returns an external argv at once, running nothing', async () => {
    const st = start();
    expect(await chain(st, ['ext'])).toEqual(['ext']);
    expect(log).toEqual([]);
    expect(st.prog).toBe('start');
  });

  it('loads a command once, however often it runs', async () => {
    await chain(start(), ['setx', '1', 'setx', '2', 'setx', '3', 'ext']);
    expect(log).toEqual(['setx 1', 'setx 2', 'setx 3']);
    expect(loads.get('setx')).toBe(1);
  });

  it('dies "exec: empty command line" (111) when a command continues with nothing', async () => {
    const st = start();
    const e = await rejection(chain(st, ['setx', 'v', 'empty']));
    expect(e).toBeInstanceOf(Die);
    expect((e as Die).code).toBe(111);
    expect((e as Die).message).toBe('emptycmd: fatal: unable to exec: empty command line');
    expect(log).toEqual(['setx v', 'empty']);
    const e2 = await rejection(chain(start(), []));
    expect((e2 as Die).message).toBe('start: fatal: unable to exec: empty command line');
  });

  it('lets a command end the chain by throwing', async () => {
    const st = start();
    const e = await rejection(chain(st, ['setx', 'v', 'quit', '3', 'rec', 'ext']));
    expect(e).toBeInstanceOf(Exit);
    expect((e as Exit).code).toBe(3);
    expect(log).toEqual(['setx v', 'quit']);
    expect(st.env.get('X')).toBe('v');
  });

  it('fails a step whose argv or environment would not fit an execve (126), before running it', async () => {
    const e = await rejection(chain(start(), ['rec', 'x'.repeat(131072)]));
    expect(e).toBeInstanceOf(Die);
    expect((e as Die).code).toBe(126);
    expect((e as Die).message).toBe('start: fatal: unable to exec rec: Argument list too long');
    expect(log).toEqual([]);
    const big = start([['BIG', 'y'.repeat(131070)]]);
    const e2 = await rejection(chain(big, ['setx', 'v', 'ext']));
    expect((e2 as Die).code).toBe(126);
    expect(log).toEqual([]);
  });

  it('finds the next program with the PATH the last command started with', async () => {
    const st = start();
    st.searchPath = '/stale';
    expect(await chain(st, ['setpath', '/new', 'ext'])).toEqual(['ext']);
    expect(st.env.get('PATH')).toBe('/new');
    expect(st.searchPath).toBe('/old');
    const st2 = start();
    await chain(st2, ['setpath', '/new', 'rec', 'ext']);
    expect(seen[0].searchPath).toBe('/new');
    expect(st2.searchPath).toBe('/new');
  });

  it('gives a pending argv0 (exec -a) to the next command of ours, once', async () => {
    const st = start();
    st.argv0 = 'NAME';
    expect(await chain(st, ['rec', 'rec', 'ext'])).toEqual(['ext']);
    expect(seen.map((s) => s.argv)).toEqual([
      ['NAME', 'rec', 'ext'],
      ['rec', 'ext'],
    ]);
    expect(seen[0].argv0).toBeNull();
    expect(st.argv0).toBeNull();
  });

  it('keeps an argv0 set by the last command for the external program', async () => {
    const st = start();
    expect(await chain(st, ['setargv0', 'N', 'ext'])).toEqual(['ext']);
    expect(st.argv0).toBe('N');
    await chain(st, ['setargv0', 'M', 'rec', 'ext']);
    expect(seen[0].argv).toEqual(['M', 'ext']);
  });

  it("sends each command's messages to the state fd 2, as it stands when the command starts and ends", async () => {
    const a = join(dir, 'err-a');
    const b = join(dir, 'err-b');
    writeFileSync(a, '');
    writeFileSync(b, '');
    const fa = openSync(a, 'a');
    const fb = openSync(b, 'a');
    const before = setStderrFd(2);
    try {
      const st = start();
      st.fds.set(2, fa);
      expect(await chain(st, ['warner', 'one', 'movefd2', String(fb), 'warner', 'two', 'movefd2', String(fa), 'ext'])).toEqual(['ext']);
      expect(readFileSync(a, 'latin1')).toBe('warner: warning: one\n');
      expect(readFileSync(b, 'latin1')).toBe('warner: warning: two\n');
      // Where the fd 2 of the state is once the chain stops: the external program's failure goes there.
      expect(setStderrFd(before)).toBe(fa);
    } finally {
      setStderrFd(before);
      closeSync(fa);
      closeSync(fb);
    }
  });

  describe('credentials in a virtual child', () => {
    it('makes the rest a process of its own once credentials are set and one of our commands follows', async () => {
      const c = forkState(start());
      c.creds = { uid: 1000 };
      const self = await chain(c, ['rec', 'a']);
      expect(self).toEqual(selfArgv(['rec', 'a'], 'rec'));
      expect(isSelf(self)).toBe(true);
      expect(log).toEqual([]);
    });

    it('also when a command of the chain sets them', async () => {
      const c = forkState(start());
      expect(await chain(c, ['asuser', 'rec', 'a'])).toEqual(selfArgv(['rec', 'a'], 'rec'));
      expect(log).toEqual(['asuser']);
      expect(c.creds).toEqual({ uid: process.geteuid!() });
    });

    it('returns an external program as it is: the credentials are applied when it is spawned', async () => {
      const c = forkState(start());
      expect(await chain(c, ['asuser', 'ext', 'a'])).toEqual(['ext', 'a']);
    });

    it('does not apply to a real process, which took them already', async () => {
      const st = start();
      st.creds = { uid: 1000 };
      expect(await chain(st, ['rec', 'ext'])).toEqual(['ext']);
      expect(log).toEqual(['rec']);
    });
  });
});

describe('lookup', () => {
  const launcher = (name: string, configName: string, marked = true) => {
    const p = join(dir, name);
    writeFileSync(
      p,
      Buffer.concat([
        Buffer.from('\x7fELF\x02\x01\x01\0 binary bytes \0\0'),
        marked ? Buffer.from(LAUNCHER_MARK) : Buffer.alloc(0),
        Buffer.from(`${configName}\0/usr/bin/node\0/opt/bundle/execline.cjs\0`),
      ]),
      { mode: 0o755 },
    );
    return p;
  };

  it('knows our bare names and nothing else', () => {
    expect(lookup('rec')).toBe(entryOf('rec'));
    expect(lookup('rec-alias')).toBe(entryOf('rec'));
    expect(lookup('sh')).toBeUndefined();
    expect(lookup('')).toBeUndefined();
  });

  it('takes a path to one of our launchers as the command its config names', () => {
    expect(lookup(launcher('setx', 'rec'))).toBe(entryOf('rec'));
    // An empty name in the config: the file's own name.
    expect(lookup(launcher('setpath', ''))).toBe(entryOf('setpath'));
  });

  it('refuses a path that is not a launcher, or whose name is not ours', () => {
    expect(lookup(launcher('empty', 'rec', false))).toBeUndefined();
    expect(lookup(launcher('notours', 'rec'))).toBeUndefined();
    expect(lookup(join(dir, 'missing', 'rec'))).toBeUndefined();
  });

  it('refuses a launcher this process could not exec, and reads a path again when its file changed', () => {
    const p = launcher('rec', 'rec');
    expect(lookup(p)).toBe(entryOf('rec'));
    chmodSync(p, 0o644);
    expect(lookup(p)).toBeUndefined();
    chmodSync(p, 0o755);
    expect(lookup(p)).toBe(entryOf('rec'));
    // The same path, another file: what it is now counts.
    rmSync(p);
    writeFileSync(p, '#!/bin/sh\n', { mode: 0o755 });
    expect(lookup(p)).toBeUndefined();
  });

  it('runs a launcher path in-process, the path being the argv[0] the command sees', async () => {
    const p = launcher('rec-alias', 'rec');
    expect(await chain(start(), [p, 'ext'])).toEqual(['ext']);
    expect(seen.map((s) => s.argv)).toEqual([[p, 'ext']]);
  });
});

describe('runChild (virtual children that reach no external program)', () => {
  it('an empty block succeeds', async () => {
    await expect(runChild(start(), [])).resolves.toEqual({ code: 0, signal: 0 });
  });

  it('runs on a copy: the parent keeps its environment and name; the exit code is the status', async () => {
    const parent = start();
    await expect(runChild(parent, ['setx', 'v', 'rec', 'quit', '3'])).resolves.toEqual({ code: 3, signal: 0 });
    expect(log).toEqual(['setx v', 'rec', 'quit']);
    expect(seen[0].virtual).toBe(true);
    expect(seen[0].st).not.toBe(parent);
    expect(parent.env.has('X')).toBe(false);
    expect(parent.prog).toBe('start');
    await expect(runChild(parent, ['quit', '300'])).resolves.toEqual({ code: 44, signal: 0 });
  });

  it('a death by signal is 128 + n', async () => {
    await expect(runChild(start(), ['sigpipe'])).resolves.toEqual({ code: 141, signal: 13 });
  });

  it('a Die is reported on the child fd 2 and is its status; anything else is 111', async () => {
    const out = join(dir, 'stderr');
    writeFileSync(out, '');
    const fd = openSync(out, 'a');
    try {
      const parent = start();
      parent.fds.set(2, fd);
      const before = setStderrFd(2);
      setStderrFd(before);
      await expect(runChild(parent, ['setx', 'v', 'die'])).resolves.toEqual({ code: 100, signal: 0 });
      await expect(runChild(parent, ['oops'])).resolves.toEqual({ code: 111, signal: 0 });
      await expect(runChild(parent, ['empty'])).resolves.toEqual({ code: 111, signal: 0 });
      expect(readFileSync(out, 'latin1')).toBe('die: fatal: boom\noops: fatal: kaboom\nemptycmd: fatal: unable to exec: empty command line\n');
      // The parent's stderr is back.
      expect(setStderrFd(before)).toBe(before);
    } finally {
      closeSync(fd);
    }
  });

  it('puts the working directory and the umask back', async () => {
    const cwd = process.cwd();
    const mask = process.umask();
    const target = realpathSync(dir);
    await expect(runChild(start(), ['cdmask', target, '027', 'quit', '0'])).resolves.toEqual({ code: 0, signal: 0 });
    expect(process.cwd()).toBe(cwd);
    expect(process.umask()).toBe(mask);
    expect(mask).not.toBe(0o027);
  });

  it('closes the fds the child opened when it ends', async () => {
    const f = join(dir, 'data');
    writeFileSync(f, 'x');
    await expect(runChild(start(), ['openfile', f, 'quit', '0'])).resolves.toEqual({ code: 0, signal: 0 });
    const fd = Number(log[0].split(' ')[1]);
    expect(() => fstatSync(fd)).toThrow();
  });

  it('nests: a block inside a block gets its own status, and the outer one goes on', async () => {
    const parent = start();
    await expect(runChild(parent, ['block', 'rec', 'quit', '2'])).resolves.toEqual({ code: 2, signal: 0 });
    expect(log).toEqual(['setx inner', 'rec', 'quit', 'block {"code":5,"signal":0}', 'rec', 'quit']);
    // The inner block's X stayed in the inner block.
    expect(seen[0].st.env.get('X')).toBe('inner');
    expect(seen[1].st.env.has('X')).toBe(false);
  });
});

describe('startChild', () => {
  it('cannot start an empty command line', () => {
    expect(startChild(start(), [])).toEqual({ spawnError: 'ENOENT' });
  });
});

// interpreter/runtime/context.ts on its own: a ProcessContext over a State, with a fake trampoline
// (nothing is spawned). Where the main chain and a virtual child differ (credentials, pid,
// tryexec), the virtual side is tested here; the real side changes the test process itself and
// is covered end to end.
import { chmodSync, closeSync, fstatSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ChildResult, Started } from '../../../interpreter/command/context.js';
import { Child } from '../../../interpreter/runtime/children.js';
import { ProcessContext, type Trampoline } from '../../../interpreter/runtime/context.js';
import { SELF } from '../../../interpreter/runtime/exec.js';
import { forkState, makeState, type State } from '../../../interpreter/runtime/state.js';

/** A trampoline that records what it is asked: `ours` are our command names. */
function fakeTrampoline(ours: string[] = ['ours']) {
  const runs: Array<[State, string[]]> = [];
  const starts: Array<[State, string[]]> = [];
  const rt: Trampoline = {
    lookup: (name: string) => (ours.includes(name) ? { names: [name] } : undefined),
    runChild: async (st: State, argv: string[]): Promise<ChildResult> => {
      runs.push([st, argv]);
      return { code: 7, signal: 0 };
    },
    startChild: (st: State, argv: string[]): Started => {
      starts.push([st, argv]);
      return { spawnError: 'EAGAIN' };
    },
  };
  return { rt, runs, starts };
}

function contextOn(st: State): ProcessContext {
  return new ProcessContext(st, fakeTrampoline().rt);
}

function envOf(entries: Array<[string, string]>): Map<string, string> {
  return new Map(entries);
}

/** The errno code an action throws, or null if it does not throw. */
function errnoOf(f: () => void): string | null {
  try {
    f();
    return null;
  } catch (e) {
    return (e as { code?: string }).code ?? `not an errno: ${String(e)}`;
  }
}

describe('environment', () => {
  it('setEnv, unsetEnv and mergeEnv keep env_merge order', () => {
    const ctx = contextOn(
      makeState(
        'p',
        envOf([
          ['A', '1'],
          ['B', '2'],
          ['C', '3'],
        ]),
      ),
    );
    ctx.setEnv('A', 'x');
    expect([...ctx.env]).toEqual([
      ['C', '3'],
      ['B', '2'],
      ['A', 'x'],
    ]);
    ctx.unsetEnv('C');
    expect([...ctx.env]).toEqual([
      ['A', 'x'],
      ['B', '2'],
    ]);
    ctx.mergeEnv([
      ['B', null],
      ['D', '4'],
    ]);
    expect([...ctx.env]).toEqual([
      ['A', 'x'],
      ['D', '4'],
    ]);
    expect(ctx.env).toBe(ctx.st.env);
  });

  it('unsetEnv of a missing variable changes nothing', () => {
    const ctx = contextOn(makeState('p', envOf([['A', '1']])));
    const before = ctx.st.env;
    ctx.unsetEnv('Z');
    expect(ctx.st.env).toBe(before);
  });

  it('clearEnv empties the state with a new Map, leaving the old one to whoever shares it', () => {
    const ctx = contextOn(makeState('p', envOf([['A', '1']])));
    const old = ctx.st.env;
    ctx.clearEnv();
    expect(ctx.env.size).toBe(0);
    expect([...old]).toEqual([['A', '1']]);
  });

  it('pushes and pops positional frames, with custom prefixes too', () => {
    const ctx = contextOn(
      makeState(
        'p',
        envOf([
          ['1', 'a'],
          ['ELGETOPT_x', 'y'],
        ]),
      ),
    );
    ctx.pushPositionals();
    expect([...ctx.env]).toEqual([
      ['1:1', 'a'],
      ['ELGETOPT_x', 'y'],
    ]);
    ctx.pushPositionals(['ELGETOPT_']);
    expect([...ctx.env]).toEqual([
      ['1:1', 'a'],
      ['ELGETOPT_x:1', 'y'],
    ]);
    ctx.popPositionals();
    expect([...ctx.env]).toEqual([
      ['1', 'a'],
      ['ELGETOPT_x:1', 'y'],
    ]);
  });

  it('reads EXECLINE_STRICT from the state', () => {
    expect(contextOn(makeState('p', envOf([['EXECLINE_STRICT', '7']]))).strictness()).toBe(2);
    expect(contextOn(makeState('p', envOf([]))).strictness()).toBe(0);
  });
});

describe('withEnv', () => {
  it('is a copy with its own environment that shares the children', async () => {
    const { rt, runs } = fakeTrampoline();
    const st = makeState(
      'loop',
      envOf([
        ['A', '1'],
        ['B', '2'],
      ]),
    );
    st.children.push(new Child(999990));
    const ctx = new ProcessContext(st, rt);
    const w = ctx.withEnv([['A', 'x']]);
    expect([...w.env]).toEqual([
      ['B', '2'],
      ['A', 'x'],
    ]);
    expect([...ctx.env]).toEqual([
      ['A', '1'],
      ['B', '2'],
    ]);
    expect(w.prog).toBe('loop');
    expect(w.children).toBe(ctx.children);
    w.children.push(new Child(999991));
    expect(ctx.children.map((c) => c.pid)).toEqual([999990, 999991]);
    // Changing the copy further leaves the original alone.
    w.setEnv('C', '3');
    w.unsetEnv('B');
    expect([...ctx.env]).toEqual([
      ['A', '1'],
      ['B', '2'],
    ]);
    // Its children are run with its own environment.
    await expect(w.runChild(['prog'])).resolves.toEqual({ code: 7, signal: 0 });
    expect(runs).toHaveLength(1);
    expect(runs[0][0]).not.toBe(st);
    expect([...runs[0][0].env]).toEqual([
      ['C', '3'],
      ['A', 'x'],
    ]);
    expect(runs[0][0].children).toBe(st.children);
  });
});

describe('fds', () => {
  const mine: number[] = [];
  const openNull = () => {
    const fd = openSync('/dev/null', 'r');
    mine.push(fd);
    return fd;
  };
  /** Stops tracking fd: the code under test is expected to close it. */
  const handOver = (fd: number) => mine.splice(mine.indexOf(fd), 1);
  afterEach(() => {
    for (const fd of mine.splice(0)) closeSync(fd);
  });
  const reallyOpen = (fd: number) => {
    try {
      fstatSync(fd);
      return true;
    } catch {
      return false;
    }
  };

  it('setFd and realFd go to the state', () => {
    const ctx = contextOn(makeState('p', new Map()));
    ctx.setFd(1, null);
    ctx.setFd(4, 9);
    expect(ctx.realFd(1)).toBe(-1);
    expect(ctx.realFd(4)).toBe(9);
    expect(ctx.realFd(0)).toBe(0);
  });

  it('swapFds exchanges the real fds behind two fds', () => {
    const ctx = contextOn(makeState('p', new Map()));
    ctx.st.fds.set(4, 9);
    ctx.swapFds(1, 4);
    expect(ctx.realFd(1)).toBe(9);
    expect(ctx.realFd(4)).toBe(1);
    ctx.swapFds(4, 1);
    expect(ctx.realFd(1)).toBe(1);
    expect(ctx.realFd(4)).toBe(9);
  });

  it('adoptFd owns the new real fd and lets go of the old one if it owned it and nothing uses it', () => {
    const a = openNull();
    const b = openNull();
    const st = makeState('p', new Map());
    st.opened.push(a);
    st.fds.set(5, a);
    handOver(a);
    contextOn(st).adoptFd(5, b);
    expect(st.fds.get(5)).toBe(b);
    expect(st.opened).toEqual([b]);
    expect(reallyOpen(a)).toBe(false);
    expect(reallyOpen(b)).toBe(true);
  });

  it('adoptFd keeps an owned real fd that another fd still refers to', () => {
    const a = openNull();
    const b = openNull();
    const st = makeState('p', new Map());
    st.opened.push(a);
    st.fds.set(5, a);
    st.fds.set(6, a);
    contextOn(st).adoptFd(5, b);
    expect(st.fds.get(5)).toBe(b);
    expect(st.fds.get(6)).toBe(a);
    expect(st.opened).toEqual([a, b]);
    expect(reallyOpen(a)).toBe(true);
  });

  it('adoptFd never closes a real fd the state does not own', () => {
    const a = openNull();
    const b = openNull();
    const st = makeState('p', new Map());
    st.fds.set(5, a);
    contextOn(st).adoptFd(5, b);
    expect(st.fds.get(5)).toBe(b);
    expect(st.opened).toEqual([b]);
    expect(reallyOpen(a)).toBe(true);
  });

  it('adoptFd on an fd with no mapping only adds', () => {
    const b = openNull();
    const st = makeState('p', new Map());
    contextOn(st).adoptFd(0, b);
    expect([...st.fds]).toEqual([[0, b]]);
    expect(st.opened).toEqual([b]);
  });
});

describe('resource limits', () => {
  it('getRlimit returns the last setRlimit for that resource', () => {
    const ctx = contextOn(makeState('p', new Map()));
    ctx.setRlimit(7, 10n, 20n);
    ctx.setRlimit(3, 1n, 2n);
    ctx.setRlimit(7, 30n, 0xffffffffffffffffn);
    expect(ctx.getRlimit(7)).toEqual({ soft: 30n, hard: 0xffffffffffffffffn });
    expect(ctx.getRlimit(3)).toEqual({ soft: 1n, hard: 2n });
    // Every change is kept, in order, to be applied before the program runs.
    expect(ctx.st.rlimits).toEqual([
      { resource: 7, soft: 10n, hard: 20n },
      { resource: 3, soft: 1n, hard: 2n },
      { resource: 7, soft: 30n, hard: 0xffffffffffffffffn },
    ]);
  });
});

describe('identity and credentials', () => {
  const ruid = process.getuid!();
  const euid = process.geteuid!();
  const rgid = process.getgid!();
  const egid = process.getegid!();

  it('is the process identity when the chain set nothing', () => {
    expect(contextOn(makeState('p', new Map())).identity()).toEqual({ uid: ruid, euid, gid: rgid, egid, groups: null, uidPending: false });
  });

  it('is the recorded credentials when there are some', () => {
    const st = makeState('p', new Map());
    const other = ruid === 12345 ? 12346 : 12345;
    st.creds = { uid: other, groups: [7, 8] };
    expect(contextOn(st).identity()).toEqual({ uid: other, euid: other, gid: rgid, egid, groups: [7, 8], uidPending: true });
    st.creds = { gid: 77 };
    expect(contextOn(st).identity()).toEqual({ uid: ruid, euid, gid: 77, egid: 77, groups: null, uidPending: false });
    st.creds = { uid: ruid };
    expect(contextOn(st).identity().uidPending).toBe(false);
  });

  it('in a virtual child, records what root may take and refuses what the kernel would', () => {
    const st = forkState(makeState('s6-applyuidgid', new Map()));
    st.creds = { uid: 0 }; // root, whoever runs the test
    const ctx = contextOn(st);
    const list = [5, 6];
    ctx.setGroups(list);
    list.push(9);
    expect(st.creds).toEqual({ uid: 0, groups: [5, 6] });
    expect(errnoOf(() => ctx.setGroups([1, 0xffffffff]))).toBe('EINVAL');
    expect(st.creds).toEqual({ uid: 0, groups: [5, 6] });
    ctx.setGroups([0xfffffffe]);
    expect(st.creds.groups).toEqual([0xfffffffe]);
    // (uid_t)-1 and (gid_t)-1 mean "unchanged" to the kernel's setres*id: setuid and setgid say EINVAL.
    expect(errnoOf(() => ctx.setUid(0xffffffff))).toBe('EINVAL');
    expect(errnoOf(() => ctx.setGid(0xffffffff))).toBe('EINVAL');
    expect(st.creds).toEqual({ uid: 0, groups: [0xfffffffe] });
    ctx.setGid(5);
    ctx.setUid(1000);
    expect(st.creds).toEqual({ uid: 1000, gid: 5, groups: [0xfffffffe] });
    // Now euid 1000: no way back.
    expect(errnoOf(() => ctx.setUid(0))).toBe('EPERM');
    expect(errnoOf(() => ctx.setGid(6))).toBe('EPERM');
    expect(errnoOf(() => ctx.setGroups([1]))).toBe('EPERM');
    expect(errnoOf(() => ctx.setGid(5))).toBeNull();
    expect(errnoOf(() => ctx.setUid(1000))).toBeNull();
    expect(st.creds).toEqual({ uid: 1000, gid: 5, groups: [0xfffffffe] });
  });

  it('in a virtual child of a non-root identity: only its own ids, and EPERM before EINVAL', () => {
    const st = forkState(makeState('p', new Map()));
    st.creds = { uid: 1000, gid: 1000 };
    const ctx = contextOn(st);
    expect(errnoOf(() => ctx.setGroups([1]))).toBe('EPERM');
    expect(errnoOf(() => ctx.setGroups([0xffffffff]))).toBe('EPERM');
    expect(errnoOf(() => ctx.setGid(0))).toBe('EPERM');
    expect(errnoOf(() => ctx.setUid(0))).toBe('EPERM');
    expect(st.creds).toEqual({ uid: 1000, gid: 1000 });
    ctx.setGid(1000);
    ctx.setUid(1000);
    expect(st.creds).toEqual({ uid: 1000, gid: 1000 });
  });

  it('in a virtual child with nothing recorded, judges by the real euid', () => {
    const st = forkState(makeState('p', new Map()));
    const ctx = contextOn(st);
    if (euid === 0) {
      ctx.setGroups([3]);
      expect(st.creds).toEqual({ groups: [3] });
    } else {
      expect(errnoOf(() => ctx.setGroups([3]))).toBe('EPERM');
      expect(st.creds).toBeNull();
    }
    // Its own uid is always allowed.
    ctx.setUid(euid);
    expect(st.creds?.uid).toBe(euid);
  });
});

describe('a process of its own', () => {
  it('realProcess: null in a real state, a SELF-marked argv in a virtual one', () => {
    expect(contextOn(makeState('p', new Map())).realProcess(['getpid', 'X', 'prog'])).toBeNull();
    // The command travels with the marker (a Node child runs it whatever argv[0] says: exec -a).
    const v = new ProcessContext(forkState(makeState('p', new Map())), fakeTrampoline().rt, 'getpid').realProcess(['NAME', 'X', 'prog']);
    expect(v).toEqual(['\u0000execline-ts-self\u0000getpid', 'NAME', 'X', 'prog']);
    expect(v![0].startsWith(SELF)).toBe(true);
  });

  it('pid: this process in a real state, an error in a virtual one; ppid: who plays the parent', () => {
    const real = contextOn(makeState('p', new Map()));
    expect(real.pid()).toBe(process.pid);
    expect(real.ppid()).toBe(process.ppid);
    const virt = contextOn(forkState(makeState('p', new Map())));
    expect(() => virt.pid()).toThrow('pid of a virtual child');
    expect(virt.ppid()).toBe(process.pid);
  });

  it('setArgv0 and isOurs', () => {
    const ctx = new ProcessContext(makeState('p', new Map()), fakeTrampoline(['mine']).rt);
    ctx.setArgv0('NAME');
    expect(ctx.st.argv0).toBe('NAME');
    ctx.setArgv0(null);
    expect(ctx.st.argv0).toBeNull();
    expect(ctx.isOurs('mine')).toBe(true);
    expect(ctx.isOurs('sh')).toBe(false);
  });
});

describe('tryExec in a virtual child', () => {
  const dir = mkdtempSync(join(tmpdir(), 'elts-tryexec-'));
  const first = join(dir, 'first');
  const bin = join(dir, 'bin');
  mkdirSync(first);
  mkdirSync(bin);
  const file = (d: string, name: string, text: string, mode: number) => {
    writeFileSync(join(d, name), text);
    chmodSync(join(d, name), mode);
  };
  file(bin, 'script', '#!/bin/sh\nexit 0\n', 0o755);
  file(first, 'script', '#!/bin/sh\nexit 0\n', 0o644); // found first, but not executable: skipped
  file(bin, 'plain', '#!/bin/sh\nexit 0\n', 0o644);
  file(bin, 'garbage', 'not a program\n', 0o755);
  file(bin, 'badinterp', '#!/nonexistent/interpreter\n', 0o755);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function virtualContext() {
    const st = forkState(
      makeState(
        'tryexec',
        envOf([
          ['PATH', `${first}:${bin}`],
          ['A', '1'],
        ]),
      ),
    );
    return new ProcessContext(st, fakeTrampoline(['ours']).rt);
  }

  it('resolves a name with the PATH of the state, argv[0] staying the name', () => {
    const ctx = virtualContext();
    expect(ctx.tryExec(['script', 'x', 'y'], false, null)).toEqual([join(bin, 'script'), 'x', 'y']);
    expect(ctx.st.argv0).toBe('script');
    expect([...ctx.env]).toEqual([
      ['PATH', `${first}:${bin}`],
      ['A', '1'],
    ]);
  });

  it('takes argv0 when given, and empties the environment with clearEnv', () => {
    const ctx = virtualContext();
    const before = ctx.st.env;
    expect(ctx.tryExec(['script'], true, 'NAME')).toEqual([join(bin, 'script')]);
    expect(ctx.st.argv0).toBe('NAME');
    expect(ctx.env.size).toBe(0);
    expect(before.size).toBe(2);
  });

  it('leaves argv0 unset for a path, which is its own argv[0]', () => {
    const ctx = virtualContext();
    ctx.setArgv0('stale');
    expect(ctx.tryExec([join(bin, 'script'), 'z'], false, null)).toEqual([join(bin, 'script'), 'z']);
    expect(ctx.st.argv0).toBeNull();
  });

  it('returns null, changing nothing, for what the kernel would not run', () => {
    const ctx = virtualContext();
    ctx.setArgv0('before');
    for (const name of ['plain', join(bin, 'plain'), 'garbage', 'badinterp', 'missing', join(bin, 'missing'), join(first, 'script')]) {
      expect(ctx.tryExec([name, 'arg'], true, 'NAME'), name).toBeNull();
    }
    expect(ctx.st.argv0).toBe('before');
    expect(ctx.env.size).toBe(2);
  });

  it('continues with one of our commands as it is', () => {
    const ctx = virtualContext();
    expect(ctx.tryExec(['ours', 'a'], false, null)).toEqual(['ours', 'a']);
    expect(ctx.st.argv0).toBeNull();
    expect(ctx.tryExec(['ours', 'a'], true, 'N')).toEqual(['ours', 'a']);
    expect(ctx.st.argv0).toBe('N');
    expect(ctx.env.size).toBe(0);
  });

  it('finds nothing without the directory in PATH', () => {
    const ctx = virtualContext();
    ctx.setEnv('PATH', '/nonexistent');
    expect(ctx.tryExec(['script'], false, null)).toBeNull();
  });
});

describe('children', () => {
  it('runChild hands the trampoline this state', async () => {
    const { rt, runs } = fakeTrampoline();
    const st = makeState('p', new Map());
    await expect(new ProcessContext(st, rt).runChild(['a', 'b'])).resolves.toEqual({ code: 7, signal: 0 });
    expect(runs).toEqual([[st, ['a', 'b']]]);
    expect(runs[0][0]).toBe(st);
  });

  it('startChild: this state without setup, a changed copy with one', () => {
    const { rt, starts } = fakeTrampoline();
    const st = makeState(
      'p',
      envOf([
        ['A', '1'],
        ['B', '2'],
      ]),
    );
    const ctx = new ProcessContext(st, rt);
    expect(ctx.startChild(['x'])).toEqual({ spawnError: 'EAGAIN' });
    expect(starts[0][0]).toBe(st);
    ctx.startChild(['y'], {
      fds: [
        [1, 33],
        [0, 34],
      ],
      env: [['A', 'z']],
    });
    const [cst, argv] = starts[1];
    expect(argv).toEqual(['y']);
    expect(cst).not.toBe(st);
    expect([...cst.fds]).toEqual([
      [1, 33],
      [0, 34],
    ]);
    expect([...cst.env]).toEqual([
      ['B', '2'],
      ['A', 'z'],
    ]);
    expect([...st.fds]).toEqual([]);
    expect([...st.env]).toEqual([
      ['A', '1'],
      ['B', '2'],
    ]);
  });
});

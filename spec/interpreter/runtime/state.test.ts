// interpreter/runtime/state.ts on its own: the State value, its copy for a virtual child, the fd
// table it gives a program, and setFd in a process that has not loaded the platform layer (an
// in-process harness: nothing real is closed).
import { closeSync, fstatSync, openSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Child } from '../../../interpreter/runtime/children.js';
import { fdTable, forkState, makeState, realFd, realProcess, setFd, strictness, type State } from '../../../interpreter/runtime/state.js';

describe('makeState', () => {
  it('is the given environment and nothing else changed', () => {
    const env = new Map([
      ['A', '1'],
      ['PATH', '/x:/y'],
    ]);
    const inherited = [3, 5];
    const st = makeState('prog', env, inherited);
    expect(st).toEqual({
      env: new Map([
        ['A', '1'],
        ['PATH', '/x:/y'],
      ]),
      fds: new Map(),
      opened: [],
      creds: null,
      rlimits: [],
      argv0: null,
      prog: 'prog',
      virtual: false,
      children: [],
      inherited: [3, 5],
      searchPath: '/x:/y',
      ignored: 0n,
      blocked: 0n,
    });
    // The environment and the inherited list are taken, not copied.
    expect(st.env).toBe(env);
    expect(st.inherited).toBe(inherited);
  });

  it('has no search path without PATH, and no inherited fds by default', () => {
    const st = makeState('p', new Map([['HOME', '/']]));
    expect(st.searchPath).toBeUndefined();
    expect(st.inherited).toEqual([]);
  });
});

describe('forkState', () => {
  function parent(): State {
    const st = makeState(
      'parentprog',
      new Map([
        ['PATH', '/now'],
        ['A', '1'],
      ]),
      [4],
    );
    st.searchPath = '/then';
    st.fds.set(1, 7);
    st.fds.set(3, null);
    st.opened.push(7);
    st.creds = { uid: 5, gid: 6, groups: [1, 2] };
    st.rlimits.push({ resource: 3, soft: 10n, hard: 20n });
    st.argv0 = 'NAME';
    st.children.push(new Child(999999));
    st.ignored = 1n << 12n;
    st.blocked = 1n << 1n;
    return st;
  }

  it('copies the attributes, as a virtual child, with argv0 reset and the search path from PATH', () => {
    const p = parent();
    const c = forkState(p);
    expect(c).toEqual({
      env: new Map([
        ['PATH', '/now'],
        ['A', '1'],
      ]),
      fds: new Map<number, number | null>([
        [1, 7],
        [3, null],
      ]),
      opened: [],
      creds: { uid: 5, gid: 6, groups: [1, 2] },
      rlimits: [{ resource: 3, soft: 10n, hard: 20n }],
      argv0: null,
      prog: 'parentprog',
      virtual: true,
      children: [],
      inherited: [4],
      searchPath: '/now',
      ignored: 1n << 12n,
      blocked: 1n << 1n,
    });
    // The parent is as it was.
    expect(p.virtual).toBe(false);
    expect(p.argv0).toBe('NAME');
    expect(p.searchPath).toBe('/then');
    expect(p.opened).toEqual([7]);
    expect(p.children).toHaveLength(1);
  });

  it('gives the child tables of its own', () => {
    const p = parent();
    const c = forkState(p);
    c.env.set('B', '2');
    c.env.delete('A');
    c.fds.set(1, null);
    c.fds.set(8, 9);
    c.creds!.uid = 0;
    c.creds!.groups!.push(3);
    c.rlimits.push({ resource: 7, soft: 1n, hard: 1n });
    c.opened.push(11);
    c.children.push(new Child(999998));
    expect([...p.env]).toEqual([
      ['PATH', '/now'],
      ['A', '1'],
    ]);
    expect([...p.fds]).toEqual([
      [1, 7],
      [3, null],
    ]);
    expect(p.creds).toEqual({ uid: 5, gid: 6, groups: [1, 2] });
    expect(p.rlimits).toEqual([{ resource: 3, soft: 10n, hard: 20n }]);
    expect(p.opened).toEqual([7]);
    expect(p.children.map((x) => x.pid)).toEqual([999999]);
  });

  it('copies no credentials when there are none, and has no search path without PATH', () => {
    const p = makeState('p', new Map([['A', '1']]));
    p.searchPath = '/stale';
    const c = forkState(p);
    expect(c.creds).toBeNull();
    expect(c.searchPath).toBeUndefined();
  });

  it('nests: a child of a child is virtual too', () => {
    const c2 = forkState(forkState(makeState('p', new Map())));
    expect(c2.virtual).toBe(true);
  });
});

describe('fdTable', () => {
  it('is 0, 1 and 2 as they are when nothing changed', () => {
    expect(fdTable(makeState('p', new Map()))).toEqual([
      [0, 0],
      [1, 1],
      [2, 2],
    ]);
  });

  it('omits a closed 0-2, keeps the inherited fds, and sorts the mappings by target', () => {
    const st = makeState('p', new Map(), [9, 5, 3, 5]);
    st.fds.set(1, null); // closed
    st.fds.set(7, 12); // a new fd
    st.fds.set(2, 10); // moved
    st.fds.set(9, null); // an inherited fd closed
    st.fds.set(3, 3); // explicitly itself
    st.fds.set(4, 2); // a copy of the process's own 2
    expect(fdTable(st)).toEqual([
      [0, 0],
      [2, 10],
      [3, 3],
      [4, 2],
      [5, 5],
      [7, 12],
    ]);
  });

  it('lists an inherited fd once, mapped or not', () => {
    const st = makeState('p', new Map(), [6, 6]);
    expect(fdTable(st)).toEqual([
      [0, 0],
      [1, 1],
      [2, 2],
      [6, 6],
    ]);
    st.fds.set(6, 20);
    expect(fdTable(st)).toEqual([
      [0, 0],
      [1, 1],
      [2, 2],
      [6, 20],
    ]);
  });
});

describe('realFd', () => {
  it('is the fd itself when unlisted, the mapping when listed, -1 when closed', () => {
    const st = makeState('p', new Map());
    st.fds.set(1, 14);
    st.fds.set(2, null);
    expect(realFd(st, 0)).toBe(0);
    expect(realFd(st, 7)).toBe(7);
    expect(realFd(st, 1)).toBe(14);
    expect(realFd(st, 2)).toBe(-1);
  });
});

describe('setFd without the platform layer (in-process harness)', () => {
  const mine: number[] = [];
  afterEach(() => {
    for (const fd of mine.splice(0)) closeSync(fd);
  });
  const isOpenReally = (fd: number) => {
    try {
      fstatSync(fd);
      return true;
    } catch {
      return false;
    }
  };

  it('is what this test process is: no platform layer loaded', () => {
    expect(realProcess()).toBe(false);
  });

  it('changes the table only: a real fd no longer referred to stays open', () => {
    const a = openSync('/dev/null', 'r');
    const b = openSync('/dev/null', 'r');
    mine.push(a, b);
    const st = makeState('p', new Map(), [a]);
    st.opened.push(b);
    st.fds.set(5, b);
    setFd(st, a, null);
    setFd(st, 5, null);
    setFd(st, 1, b);
    expect([...st.fds]).toEqual([
      [5, null],
      [a, null],
      [1, b],
    ]);
    expect(isOpenReally(a)).toBe(true);
    expect(isOpenReally(b)).toBe(true);
    // Nothing was let go, so nothing left the list of fds the state opened.
    expect(st.opened).toEqual([b]);
    expect(fdTable(st)).toEqual([
      [0, 0],
      [1, b],
      [2, 2],
    ]);
  });

  it('closes 0-2 in the table only', () => {
    const st = makeState('p', new Map());
    setFd(st, 0, null);
    setFd(st, 2, 1);
    expect(realFd(st, 0)).toBe(-1);
    expect(realFd(st, 2)).toBe(1);
    expect(fdTable(st)).toEqual([
      [1, 1],
      [2, 1],
    ]);
  });
});

describe('strictness (EXECLINE_STRICT)', () => {
  const level = (v: string | undefined) => strictness(makeState('p', new Map(v === undefined ? [] : [['EXECLINE_STRICT', v]])));

  it('is 0 when unset, empty, negative or not a number', () => {
    expect(level(undefined)).toBe(0);
    expect(level('')).toBe(0);
    expect(level('-1')).toBe(0);
    expect(level('abc')).toBe(0);
    expect(level('0x2')).toBe(0);
    expect(level('0')).toBe(0);
  });

  it('is 1 for 1, and 2 for 2 or more', () => {
    expect(level('1')).toBe(1);
    expect(level('2')).toBe(2);
    expect(level('5')).toBe(2);
    expect(level('4294967296')).toBe(2);
  });

  it('reads the leading digits, as uint0_scan leaves them in the variable', () => {
    expect(level('2x')).toBe(2);
    expect(level('1e3')).toBe(1);
  });

  it('reads nothing before the digits: a blank or a sign makes it 0, as uint0_scan', () => {
    expect(level(' 2')).toBe(0);
    expect(level('\t2')).toBe(0);
    expect(level('+1')).toBe(0);
  });
});

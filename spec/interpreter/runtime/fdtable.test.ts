// interpreter/runtime/fdtable.ts on its own: which fds are open in the program's table, where the
// next ones would land, and the open-files limit that bounds dup2 targets.
import { closeSync, constants as fsc, fstatSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { RLIMIT_NOFILE, isOpen, lowestFree, nofileLimit, openForTable, validTarget } from '../../../interpreter/runtime/fdtable.js';
import { makeState, type State } from '../../../interpreter/runtime/state.js';

const mine: number[] = [];
const openNull = () => {
  const fd = openSync('/dev/null', 'r');
  mine.push(fd);
  return fd;
};
afterEach(() => {
  for (const fd of mine.splice(0)) closeSync(fd);
});
const dir = mkdtempSync(join(tmpdir(), 'elts-fdtable-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A number no fd of this process has. */
function closedNumber(): number {
  for (let n = 900; ; n++) {
    try {
      fstatSync(n);
    } catch {
      return n;
    }
  }
}

/** A state whose 0, 1 and 2 are a known open fd, whatever the test runner left there. */
function withStdio(): State {
  const x = openNull();
  const st = makeState('p', new Map());
  for (const v of [0, 1, 2]) st.fds.set(v, x);
  return st;
}

describe('isOpen', () => {
  it('follows the mapping: closed, pointing at an open fd, pointing at a closed one', () => {
    const st = makeState('p', new Map());
    const x = openNull();
    st.fds.set(5, null);
    st.fds.set(6, x);
    st.fds.set(7, closedNumber());
    expect(isOpen(st, 5)).toBe(false);
    expect(isOpen(st, 6)).toBe(true);
    expect(isOpen(st, 7)).toBe(false);
  });

  it('counts an unmapped fd from 3 up only if it was inherited (and is really open)', () => {
    const x = openNull();
    expect(isOpen(makeState('p', new Map()), x)).toBe(false);
    expect(isOpen(makeState('p', new Map(), [x]), x)).toBe(true);
    const gone = closedNumber();
    expect(isOpen(makeState('p', new Map(), [gone]), gone)).toBe(false);
  });

  it('never counts an fd our commands opened as inherited', () => {
    const f = join(dir, 'f');
    writeFileSync(f, 'x');
    const st = makeState('p', new Map());
    const fd = openForTable(st, Buffer.from(f), fsc.O_RDONLY);
    mine.push(fd);
    expect(st.opened).toEqual([fd]);
    st.inherited = [fd];
    expect(isOpen(st, fd)).toBe(false);
    // Through the table, it is open.
    st.fds.set(4, fd);
    expect(isOpen(st, 4)).toBe(true);
  });
});

describe('lowestFree', () => {
  it('is the n lowest fds not open in the table, in order', () => {
    const st = withStdio();
    expect(lowestFree(st, 3)).toEqual([3, 4, 5]);
    st.fds.set(4, st.fds.get(0)!);
    expect(lowestFree(st, 3)).toEqual([3, 5, 6]);
    st.fds.set(1, null);
    expect(lowestFree(st, 2)).toEqual([1, 3]);
    expect(lowestFree(st, 0)).toEqual([]);
  });
});

describe('nofileLimit and validTarget', () => {
  it('is the soft RLIMIT_NOFILE the chain set last', () => {
    const st = makeState('p', new Map());
    st.rlimits.push({ resource: RLIMIT_NOFILE, soft: 100n, hard: 200n });
    st.rlimits.push({ resource: 3, soft: 5n, hard: 5n });
    st.rlimits.push({ resource: RLIMIT_NOFILE, soft: 50n, hard: 200n });
    expect(nofileLimit(st)).toBe(50);
    expect(validTarget(st, 49)).toBe(true);
    expect(validTarget(st, 50)).toBe(false);
  });

  it('caps an infinite limit at the largest safe integer', () => {
    const st = makeState('p', new Map());
    st.rlimits.push({ resource: RLIMIT_NOFILE, soft: 0xffffffffffffffffn, hard: 0xffffffffffffffffn });
    expect(nofileLimit(st)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it("is this process's own soft limit when the chain set none", () => {
    const m = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'latin1'));
    expect(m).not.toBeNull();
    expect(nofileLimit(makeState('p', new Map()))).toBe(Number(m![1]));
  });
});

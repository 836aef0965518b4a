// interpreter/runtime/env.ts on its own: skalibs' env_merge order (a variable removed is replaced
// by the last one, a variable set goes to the end) and el_pushenv / el_popenv's positional frames.
import { describe, expect, it } from 'vitest';
import { mergeEnv, popPositionals, pushPositionals, setEnv, unsetEnv } from '../../../interpreter/runtime/env.js';
import { makeState, type State } from '../../../interpreter/runtime/state.js';

function stateWith(entries: Array<[string, string]>): State {
  return makeState('test', new Map(entries));
}

const entries = (st: State) => [...st.env];

/** skalibs' env_merge transliterated (quadratic, as in C): the reference the linear version must match. */
function envMergeC(envp: string[], modifs: string[]): string[] {
  const v = envp.slice();
  let vlen = v.length;
  for (const m of modifs) {
    const split = m.includes('=') ? m.indexOf('=') : m.length;
    let j = 0;
    for (; j < vlen; j++) if (v[j].startsWith(m.slice(0, split)) && v[j][split] === '=') break;
    if (j < vlen) v[j] = v[--vlen];
    if (split < m.length) v[vlen++] = m;
  }
  return v.slice(0, vlen);
}

describe('mergeEnv (skalibs env_merge)', () => {
  it('moves a variable set again to the end, the last entry taking its old slot', () => {
    const st = stateWith([
      ['A', '1'],
      ['B', '2'],
      ['C', '3'],
      ['D', '4'],
    ]);
    setEnv(st, 'B', 'x');
    // Not [A, C, D, B]: env_merge does not shift, it moves the last entry into the hole.
    expect(entries(st)).toEqual([
      ['A', '1'],
      ['D', '4'],
      ['C', '3'],
      ['B', 'x'],
    ]);
  });

  it('keeps the order when the variable set again is already the last one', () => {
    const st = stateWith([
      ['A', '1'],
      ['B', '2'],
    ]);
    setEnv(st, 'B', '3');
    expect(entries(st)).toEqual([
      ['A', '1'],
      ['B', '3'],
    ]);
  });

  it('appends a new variable', () => {
    const st = stateWith([['A', '1']]);
    setEnv(st, 'N', '');
    expect(entries(st)).toEqual([
      ['A', '1'],
      ['N', ''],
    ]);
  });

  it('replaces an unset variable by the LAST entry', () => {
    const st = stateWith([
      ['A', '1'],
      ['B', '2'],
      ['C', '3'],
      ['D', '4'],
    ]);
    unsetEnv(st, 'A');
    expect(entries(st)).toEqual([
      ['D', '4'],
      ['B', '2'],
      ['C', '3'],
    ]);
    unsetEnv(st, 'C');
    expect(entries(st)).toEqual([
      ['D', '4'],
      ['B', '2'],
    ]);
  });

  it('leaves the environment (the very Map) alone when unsetting a missing variable', () => {
    const st = stateWith([
      ['A', '1'],
      ['B', '2'],
    ]);
    const before = st.env;
    unsetEnv(st, 'Z');
    expect(st.env).toBe(before);
    mergeEnv(st, [['Z', null]]);
    expect(entries(st)).toEqual([
      ['A', '1'],
      ['B', '2'],
    ]);
  });

  it('applies many modifications at once, each on the result of the previous one', () => {
    const st = stateWith([
      ['A', '1'],
      ['B', '2'],
      ['C', '3'],
      ['D', '4'],
      ['E', '5'],
    ]);
    mergeEnv(st, [
      ['B', null], // [A E C D]
      ['F', '6'], // [A E C D F=6]
      ['A', 'a'], // [F=6 E C D A=a]
      ['D', null], // [F=6 E C A=a]
      ['F', '7'], // [A=a E C F=7]
    ]);
    expect(entries(st)).toEqual([
      ['A', 'a'],
      ['E', '5'],
      ['C', '3'],
      ['F', '7'],
    ]);
  });

  it('keeps byte strings as they are (latin1 chars stand for bytes)', () => {
    const st = stateWith([['K\xe9', '\xff\x80']]);
    setEnv(st, 'V', '\xc3(');
    expect(entries(st)).toEqual([
      ['K\xe9', '\xff\x80'],
      ['V', '\xc3('],
    ]);
  });

  it('builds a new Map instead of changing the old one (copies of a state may share it)', () => {
    const st = stateWith([['A', '1']]);
    const old = st.env;
    setEnv(st, 'A', '2');
    expect(st.env).not.toBe(old);
    expect([...old]).toEqual([['A', '1']]);
  });

  it('matches a transliteration of the C on long random sequences of modifications', () => {
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const names = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'PATH', '0', '#', 'X:1'];
    for (let round = 0; round < 200; round++) {
      const start = new Map<string, string>();
      for (let i = rand(names.length); i > 0; i--) start.set(names[rand(names.length)], String(rand(100)));
      const modifs: Array<[string, string | null]> = [];
      for (let i = rand(40); i > 0; i--) modifs.push([names[rand(names.length)], rand(3) === 0 ? null : `v${rand(1000)}`]);
      const st = makeState('test', new Map(start));
      mergeEnv(st, modifs);
      const expected = envMergeC(
        [...start].map(([k, v]) => `${k}=${v}`),
        modifs.map(([k, v]) => (v === null ? k : `${k}=${v}`)),
      );
      expect([...st.env].map(([k, v]) => `${k}=${v}`)).toEqual(expected);
    }
  });
});

describe('pushPositionals / popPositionals (el_pushenv / el_popenv)', () => {
  it('push renames 0..9 and # to NAME:1 and NAME:n to NAME:n+1, in place', () => {
    const st = stateWith([
      ['PATH', '/bin'],
      ['0', 'prog'],
      ['1', 'a'],
      ['#', '1'],
      ['0:1', 'old0'],
      ['#:1', '0'],
      ['X', 'y'],
      ['10', 'ten'],
      ['3:9', 'nine'],
      ['1:x', 'not a level'],
      ['ELGETOPT_n', '1'],
    ]);
    const old = st.env;
    pushPositionals(st);
    expect(entries(st)).toEqual([
      ['PATH', '/bin'],
      ['0:1', 'prog'],
      ['1:1', 'a'],
      ['#:1', '1'],
      ['0:2', 'old0'],
      ['#:2', '0'],
      ['X', 'y'],
      ['10:1', 'ten'], // "10" starts with the prefix "1", as str_start sees it
      ['3:10', 'nine'],
      ['1:x', 'not a level'], // not NAME:digits: copied as is
      ['ELGETOPT_n', '1'], // not a default prefix
    ]);
    expect(st.env).not.toBe(old);
  });

  it('pop drops the current frame and renames NAME:1 back to NAME, NAME:n to NAME:n-1', () => {
    const st = stateWith([
      ['A', '1'],
      ['0', 'p'],
      ['1', 'x'],
      ['#', '1'],
      ['0:1', 'q'],
      ['#:1', '0'],
      ['1:2', 'deep'],
      ['3:10', 'ten'],
      ['2:0', 'level zero'],
      ['1:x', 'not a level'],
    ]);
    popPositionals(st);
    expect(entries(st)).toEqual([
      ['A', '1'],
      ['0', 'q'],
      ['#', '0'],
      ['1:1', 'deep'],
      ['3:9', 'ten'],
      ['2:0', 'level zero'], // el_popenv copies NAME:0 as is
      ['1:x', 'not a level'],
    ]);
  });

  it('pop undoes push', () => {
    const start: Array<[string, string]> = [
      ['HOME', '/root'],
      ['#', '2'],
      ['0', 'script'],
      ['1', 'a'],
      ['2', 'b'],
      ['#:1', '0'],
      ['0:1', 'outer'],
    ];
    const st = stateWith(start);
    pushPositionals(st);
    popPositionals(st);
    expect(entries(st)).toEqual(start);
  });

  it('works on custom prefixes (elgetopt: ELGETOPT_), leaving the positionals alone', () => {
    const start: Array<[string, string]> = [
      ['ELGETOPT_a', '1'],
      ['ELGETOPT_b:1', 'old'],
      ['0', 'p'],
      ['1', 'x'],
    ];
    const st = stateWith(start);
    pushPositionals(st, ['ELGETOPT_']);
    expect(entries(st)).toEqual([
      ['ELGETOPT_a:1', '1'],
      ['ELGETOPT_b:2', 'old'],
      ['0', 'p'],
      ['1', 'x'],
    ]);
    const st2 = stateWith(start);
    popPositionals(st2, ['ELGETOPT_']);
    expect(entries(st2)).toEqual([
      ['ELGETOPT_b', 'old'],
      ['0', 'p'],
      ['1', 'x'],
    ]);
  });
});

// s6-softlimit against the reference: every option, "=", clamping to the hard limit, bad values,
// and the limits the final program sees (/proc/self/limits), in place and in a block.
import { describe, expect, it } from 'vitest';
import { directBoth, outcome, scriptBoth } from './compare.js';

const LIMITS = ['grep', '-E', '^Max', '/proc/self/limits'];

describe('s6-softlimit', () => {
  const cases = [
    ['-o', '50'],
    ['-o', '='],
    ['-o', '99999999999'],
    ['-c', '0', '-f', '1000', '-t', '5'],
    ['-a', '1000000000', '-d', '200000000'],
    ['-m', '100000000'],
    ['-l', '0', '-s', '100000', '-r', '500', '-p', '50'],
    ['-o', 'x'],
    ['-o', '18446744073709551615'],
    ['-o', '18446744073709551616'],
    ['-o', ''],
    ['-o'],
    ['-q', '1'],
    ['-qo', '5'],
    ['-o', '5', '-x'],
    ['-o50', '-c='],
    [],
  ];
  for (const c of cases) {
    it(`s6-softlimit ${c.join(' ')}`, () => {
      const { ours, ref } = directBoth('s6-softlimit', [...c, ...LIMITS]);
      expect(outcome(ours)).toEqual(outcome(ref));
    });
  }
  it('a block gets exact limits, groups and uid (foreground { s6-softlimit -o 5 s6-setuidgid nobody prog })', () => {
    const { ours, ref } = scriptBoth(
      'foreground { s6-softlimit -o 5 -c 0 s6-setuidgid nobody grep -E "^(Max open|Max core|Uid|Groups)" /proc/self/limits /proc/self/status } grep -E "^Max open" /proc/self/limits',
    );
    expect(ours.stdout).toMatch(/Max open files\s+5\s/);
    expect(outcome(ours)).toEqual(outcome(ref));
  });
  it('Node itself does not run under the limits (a tiny address space still execs the program)', () => {
    const { ours, ref } = scriptBoth('s6-softlimit -a 50000000 grep -E "^Max address" /proc/self/limits');
    expect(outcome(ours)).toEqual(outcome(ref));
  });
});

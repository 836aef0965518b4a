// s6-applyuidgid against the reference: uid, gid, group list (-G, -U), -z, and bad values.
import { describe, expect, it } from 'vitest';
import { directBoth, outcome, scriptBoth } from './compare.js';

const STATUS = ['grep', '-E', '^(Uid|Gid|Groups)', '/proc/self/status'];

describe('s6-applyuidgid', () => {
  const cases: string[][] = [
    ['-u', '65534', '-g', '65534', '-G', '1,2'],
    ['-u', '65534', '-G', '1,2'],
    ['-u', '65534', '-g', '7'],
    ['-g', '7', '-G', ''],
    ['-g', '7', '-G', '7,7,3'],
    ['-G', '1:2'],
    ['-G', '1 2'],
    ['-G', '1,,2,'],
    ['-G', '3x'],
    ['-G', '4294967296'],
    ['-G', '4294967295'],
    ['-u', 'x'],
    ['-u', '99999999999'],
    ['-g', ''],
    ['-G', ',1'],
    ['-G', 'x'],
    ['-x'],
    [],
  ];
  for (const opts of cases) {
    it(`s6-applyuidgid ${opts.join(' ')}`, () => {
      const { ours, ref } = directBoth('s6-applyuidgid', [...opts, ...STATUS]);
      expect(outcome(ours)).toEqual(outcome(ref));
    });
  }
  const envs: Record<string, string>[] = [
    { UID: '65534', GID: '65534', GIDLIST: '3,4' },
    { UID: '1', GID: '2', GIDLIST: '' },
    { UID: 'x', GID: '2', GIDLIST: '' },
    { UID: '1', GIDLIST: '' },
    { UID: '1', GID: '1' },
    { UID: '1', GID: '1', GIDLIST: '3,x' },
    { UID: '1', GID: '1', GIDLIST: 'x' },
    { UID: '', GID: '1', GIDLIST: '' },
  ];
  for (const env of envs) {
    it(`-U with ${JSON.stringify(env)}, -z, and -u after -U`, () => {
      for (const opts of [['-U'], ['-U', '-z'], ['-z', '-U', '-u', '65534']]) {
        const { ours, ref } = directBoth(
          's6-applyuidgid',
          [...opts, 'sh', '-c', 'env | grep -E "^(UID|GID|GIDLIST)=" | sort; grep -E "^(Uid|Gid|Groups)" /proc/self/status'],
          { env },
        );
        expect(outcome(ours)).toEqual(outcome(ref));
      }
    });
  }
  it('in a block, the groups reach the child (exact, through the helper)', () => {
    const { ours, ref } = scriptBoth(`foreground { s6-applyuidgid -u 65534 -g 65534 -G 5,6 ${STATUS.join(' ')} } ${STATUS.join(' ')}`);
    expect(outcome(ours)).toEqual(outcome(ref));
  });
});

// s6-envuidgid against the reference: UID, GID, GIDLIST for every option and the defaults.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { directBoth, outcome } from './compare.js';

describe('s6-envuidgid', () => {
  const cases = [
    'nobody',
    'root',
    'www-data',
    'nosuch',
    '-g nogroup',
    '-u nobody',
    '-B nobody:nogroup',
    '-B nosuch:nosuch',
    '-nB 5:6',
    '-n 5',
    '-D 1:2:3 nosuch',
    '-D 1:2 nosuch',
    '-D x nosuch',
    '-x nobody',
    '-g nosuch',
    '-u nosuch',
    '-nu 7',
    '-ng 7',
    '-ng x',
    '-D 1:2:3,4 -i nosuch',
    '-D 1:2:3,x nosuch',
    '-D :5 nosuch',
    '-D 5: nosuch',
    '-B :nogroup',
    '-B nobody:',
    '-B nobody',
    '-D 3:4:5 -B nosuch:nosuch2',
    '-D 3:4:5 -g nosuch',
    '-n nobody:7',
    '-n -u nobody:7',
    '-D 1x:2 nosuch',
    '-nu 7x',
    '-D 3:4:5 nobody',
    '',
  ];
  for (const c of cases) {
    it(`s6-envuidgid ${c}`, () => {
      const args = c === '' ? [] : c.split(' ');
      // the variables it sets go where skalibs' env_merge puts them: UID is set beforehand
      const { ours, ref } = directBoth('s6-envuidgid', [...args, 'env'], { env: { UID: '9', A: '1', GID: 'g' } });
      expect(outcome(ours)).toEqual(outcome(ref));
    });
  }
  it('takes an empty -D', () => {
    const { ours, ref } = directBoth('s6-envuidgid', ['-D', '', 'nosuch', 'env']);
    expect(outcome(ours)).toEqual(outcome(ref));
  });
  it('lists supplementary groups from /etc/group', () => {
    const member = /^[^:]*:[^:]*:[0-9]+:([^,\n]+)/m.exec(readFileSync('/etc/group', 'utf8'));
    if (!member) return;
    const { ours, ref } = directBoth('s6-envuidgid', [member[1], 'env']);
    expect(ours.stdout).toMatch(/GIDLIST=[0-9]/);
    expect(outcome(ours)).toEqual(outcome(ref));
  });
});

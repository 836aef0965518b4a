// fdmove, fdclose, fdswap, fdblock and fdreserve against the reference: the program's fd table.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { directBoth, outcome, scriptBoth } from './compare.js';
import { BIN, REF_BIN } from '../helpers.js';

const LS = 'ls /proc/self/fd';

describe('fd programs', () => {
  const scripts = [
    `fdmove 1 2 ${LS}`,
    `fdmove -c 5 1 ${LS}`,
    `fdmove -c 5 1 fdswap 1 2 ${LS}`,
    `fdmove -c 5 1 fdclose 1 foreground { ${LS} } fdmove 1 5 ${LS}`,
    'fdmove 1 3 echo hi',
    'fdmove -c 1 7 true',
    'fdmove 2000000 1 true',
    'fdmove 7 7 true',
    'fdmove 1 1 nosuchprog',
    'fdmove 1 99999999999 true',
    'fdmove 1 2',
    'fdmove -- 1 2 true',
    'fdmove -x 1 2 true',
    `fdclose 0 foreground { ${LS} } ${LS}`,
    `foreground { fdclose 1 ${LS} } echo ok`,
    `fdclose 2 ${LS}`,
    'fdclose 7 true',
    'fdclose x true',
    'fdclose -- 1 true',
    'fdclose 1',
    'fdswap 1 2 sh -c "echo out; echo err >&2"',
    'fdswap 1 9 true',
    'fdswap 9 1 true',
    'fdswap 7 7 true',
    'fdswap -- 1 2 true',
    'fdblock -n 1 grep -E ^flags /proc/self/fdinfo/1',
    'fdblock -n 1 fdblock 1 grep -E ^flags /proc/self/fdinfo/1',
    'fdblock 9 true',
    'fdblock -n 9 true',
    'fdblock x true',
    'fdblock -- 1 true',
    'fdreserve 3 importas a FD0 importas b FD1 importas c FD2 echo $a $b $c',
    'fdreserve 4 env',
    'fdreserve 0 true',
    'fdreserve 100000 env',
    'fdreserve -- 1 true',
    'redirfd -r 3 /etc/hostname fdreserve 2 env',
    'fdclose 0 fdreserve 2 env',
  ];
  for (const s of scripts) {
    it(s, () => {
      const { ours, ref } = scriptBoth(s);
      const strip = (x: string) => x.replace(/^(PATH|PWD)=.*\n/gm, '');
      expect({ ...outcome(ours), stdout: strip(ours.stdout) }).toEqual({ ...outcome(ref), stdout: strip(ref.stdout) });
    });
  }
  it('fds >= 3 set up by the script reach the program (in place and in a block)', () => {
    const { ours, ref } = scriptBoth('redirfd -r 3 /etc/hostname fdmove -c 4 3 foreground { ls /proc/self/fd } fdmove 6 4 ls /proc/self/fd');
    expect(ours.stdout).toMatch(/^3$/m);
    expect(outcome(ours)).toEqual(outcome(ref));
  });
  it('s6 readiness: a run script given fd 3 hands it to the program as stdout (fdmove 1 3)', () => {
    const run = (dir: string) =>
      spawnSync('sh', ['-c', `${join(dir, 'execlineb')} -Pc 'fdmove 1 3 sh -c "echo ready; ls /proc/self/fd"' 3>&1 1>/dev/null`], {
        encoding: 'utf8',
        env: { PATH: `${dir}:/usr/bin:/bin` },
      });
    const ours = run(BIN);
    const ref = run(REF_BIN);
    expect(ours.stdout.startsWith('ready\n')).toBe(true);
    expect(ours.stdout).toBe(ref.stdout);
    expect(ours.status).toBe(ref.status);
  });
  it('called directly', () => {
    for (const [p, a] of [
      ['fdmove', ['-c', '3', '1', 'ls', '/proc/self/fd']],
      ['fdswap', ['1', '2', 'true']],
      ['fdclose', ['1', 'ls', '/proc/self/fd']],
    ] as const) {
      const { ours, ref } = directBoth(p, [...a]);
      expect(outcome(ours)).toEqual(outcome(ref));
    }
  });
});

// posix-umask: differential against the reference execline (printing, octal and symbolic masks).
import { describe, it } from 'vitest';
import { same, sameDirect } from './differential.js';

/** Runs `posix-umask MODE sh -c umask` starting from a umask of 022. */
const sym = (mode: string) => same(`posix-umask 022 posix-umask ${mode} sh -c umask`);

describe('posix-umask', () => {
  it('prints the umask in octal, or symbolically with -S', () => {
    for (const m of ['0', '022', '0027', '0751', '0777']) {
      same(`posix-umask ${m} posix-umask`);
      same(`posix-umask ${m} posix-umask -S`);
    }
    same('posix-umask 022 posix-umask -SS');
  });
  it('sets an octal mask, then runs the rest if any', () => {
    same('posix-umask 027 sh -c umask');
    same('posix-umask -S 027 sh -c umask');
    same('posix-umask 027');
    same('posix-umask -S 027');
    same('posix-umask -- 0777 sh -c umask');
    same('posix-umask 777777 sh -c umask');
    same('posix-umask 00000000000000000000000007 sh -c umask');
  });
  it('sets a symbolic mask', () => {
    for (const m of [
      'u=rwx,g=rx,o=',
      'a=r',
      '=rx',
      '+w',
      'go-rwx',
      'u=rwx,go=u-w',
      'g=u',
      'u+s',
      'u+t',
      'o=X',
      'u=r+w',
      'ug=rw-x',
      'u=g=o',
      'a+rwx-w',
      'ugoa=',
      'u=o,g=u',
      'uu=rr',
      'u-=r',
      '=r=w',
      'g=o+r',
      'a=rwx,o=g-x',
      'o=,g=rx',
      'u=r,=w',
    ])
      sym(m);
  });
  it('keeps the reference quirks: a clause with an empty perm list changes nothing, a bare = does', () => {
    for (const m of ['u=rwx,', ',u=r', 'u', 'u=,g=,o=', 'a=', '=', '""', 'u,g=r', '=,', 'ug,o=r', 'u=rw,,']) sym(m);
  });
  it('a block child gets its own umask', () => {
    same('foreground { posix-umask 077 } posix-umask');
  });
  it('usage and errors', () => {
    for (const m of ['z=r', 'u=rz', '8', '0o22', 'u=go', 'u=gw', '77777777777777', '40000000000']) sym(m);
    same('posix-umask -w sh -c umask');
    same('posix-umask -x');
    same('posix-umask 0777 nonexistent-prog');
    same('fdclose 1 posix-umask');
    sameDirect('posix-umask', ['-Z']);
    sameDirect('posix-umask', ['u=x']);
  });
});

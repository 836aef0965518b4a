// umask / execline-umask: differential against the reference execline.
import { describe, it } from 'vitest';
import { same, sameDirect } from './differential.js';

describe('umask', () => {
  it('sets an octal umask, then runs the rest', () => {
    same('umask 022 sh -c umask');
    same('execline-umask 022 sh -c umask');
    same('umask 0777 sh -c umask');
    same('umask 0 sh -c umask');
    same('umask 1 sh -c umask');
    same('umask 027 umask 077 sh -c umask');
  });
  it('reads the leading octal digits, keeps the low 9 bits, stops before 32-bit overflow', () => {
    same('umask 07777 sh -c umask');
    same('umask 017777 sh -c umask');
    same('umask 12a sh -c umask');
    same('umask 0x1 sh -c umask');
    same('umask 37777777777 sh -c umask');
    same('umask 40000000000 sh -c umask');
    same('umask 1000000000001 sh -c umask');
    same('umask 0777777777777 sh -c umask');
  });
  it('a block child gets its own umask', () => {
    same('foreground { umask 077 sh -c umask } sh -c umask');
    same('foreground { umask 077 } sh -c umask');
  });
  it('usage and errors', () => {
    same('umask');
    same('umask 022');
    same('umask 8 true');
    same('umask -1 true');
    same('umask +7 true');
    same('umask "" true');
    same('umask " 12" true');
    same('umask -- 022 true');
    same('umask -S 022 true');
    same('umask 022 nonexistent-prog');
    sameDirect('umask', []);
    sameDirect('execline-umask', ['022']);
    sameDirect('umask', ['9', 'true']);
  });
});

// withstdinas against the reference: every option, empty input, NUL bytes, 20 MB of input.
import { describe, it } from 'vitest';
import { same, SHOW } from './compare.js';

describe('withstdinas', () => {
  it.each<[string, string]>([
    [`withstdinas x ${SHOW()}`, 'a\n\n'],
    [`withstdinas x ${SHOW()}`, ''],
    [`withstdinas x ${SHOW()}`, '\n'],
    [`withstdinas -N x ${SHOW()}`, 'a\n'],
    [`withstdinas -n x ${SHOW()}`, 'a\n'],
    [`withstdinas -N -n x ${SHOW()}`, 'a\n'],
    [`withstdinas x ${SHOW()}`, 'a\0b\n'],
    [`withstdinas x ${SHOW()}`, 'a\n\0b\n'],
    [`withstdinas -i x ${SHOW()}`, 'a\0b\n'],
    [`withstdinas -i x ${SHOW()}`, 'ab\n'],
    [`withstdinas -I x ${SHOW()}`, 'a\0b\n'],
    [`withstdinas -D d x ${SHOW()}`, 'a\0b\n'],
    [`withstdinas -D d x ${SHOW()}`, 'ab\n'],
    [`withstdinas -D d -I x ${SHOW()}`, 'a\0b\n'],
    [`withstdinas -I -D d x ${SHOW()}`, 'a\0b\n'],
    [`withstdinas -i -I x ${SHOW()}`, 'a\0b\n'],
    [`withstdinas -I -i x ${SHOW()}`, 'a\0b\n'],
    [`withstdinas -D d -i x ${SHOW()}`, 'a\0b\n'],
    [`withstdinas -i -D d x ${SHOW()}`, 'a\0b\n'],
    [`export x old withstdinas -I x ${SHOW()}`, 'a\0b\n'],
    ['withstdinas -E x echo $x', 'hi there\n'],
    ['withstdinas -e x echo $x', 'hi\n'],
    ['withstdinas -E -I x echo $x', 'h\0i\n'],
    ['withstdinas x', 'hi\n'],
    ['withstdinas -i x', 'h\0i\n'],
    ['withstdinas', 'hi\n'],
    ['withstdinas -Z x echo', 'hi\n'],
    ['withstdinas "" echo', 'hi\n'],
    ['withstdinas a=b echo', 'hi\n'],
    ['withstdinas x nosuchprog', 'hi\n'],
    ['withstdinas x sh -c "env | grep ^x="', 'hi\n'],
    ['fdclose 0 withstdinas x echo', ''],
    ['redirfd -r 0 /dev/null withstdinas x sh -c "echo [$x]"', 'hi\n'],
    ['foreground { withstdinas -E x echo $x } echo done', 'in block\n'],
  ])('%s <<< %j', (script, input) => {
    same(script, { input });
  });

  it('20 MB of input', () => {
    same('withstdinas -I x sh -c "echo ${x-unset}"', { input: 'a'.repeat(20 * 1024 * 1024) + '\0' });
    same('withstdinas x sh -c "echo ${#x}"', { input: 'abc\0' + 'a'.repeat(20 * 1024 * 1024) });
  });
});

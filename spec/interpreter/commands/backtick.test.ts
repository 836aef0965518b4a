// backtick against the reference: every option, empty output, NUL bytes, failing and crashing
// blocks, blocks of our own commands (run as a real child writing into a pipe), 20 MB of output.
import { describe, it } from 'vitest';
import { same, SHOW } from './compare.js';

const NUL = 'printf "a\\\\0b"';
const FAIL = (s: string) => `sh -c "${s}"`;

describe('backtick', () => {
  it.each([
    `backtick x { printf "a\\\\n\\\\n" } ${SHOW()}`,
    `backtick -N x { printf "a\\\\n" } ${SHOW()}`,
    `backtick -n x { printf "a\\\\n" } ${SHOW()}`,
    `backtick -N -N -n x { echo a } ${SHOW()}`,
    `backtick x { printf "" } ${SHOW()}`,
    `backtick x { true } ${SHOW()}`,
    `backtick -N x { printf "\\\\n" } ${SHOW()}`,
    `backtick x { printf "\\\\n" } ${SHOW()}`,
    `backtick x { ${NUL} } ${SHOW()}`,
    `backtick x { printf "\\\\0" }`,
    `backtick -i x { ${NUL} } ${SHOW()}`,
    `backtick -I x { printf "a\\\\0b\\\\n" } ${SHOW()}`,
    `backtick -I x { printf "a\\\\n\\\\0b" } ${SHOW()}`,
    `backtick -I -N x { printf "a\\\\n\\\\0b" } ${SHOW()}`,
    `backtick -x x { ${NUL} } ${SHOW()}`,
    `backtick -D def x { ${NUL} } ${SHOW()}`,
    `backtick x { ${FAIL('echo out; exit 3')} } ${SHOW()}`,
    `backtick x { ${FAIL('echo out; exit 200')} } ${SHOW()}`,
    `backtick x { ${FAIL('echo out; kill -9 $$')} } ${SHOW()}`,
    `backtick -I x { ${FAIL('echo out; exit 3')} } ${SHOW()}`,
    `backtick -I x { ${FAIL('echo out; kill -9 $$')} } ${SHOW()}`,
    `backtick -I x { ${FAIL('printf \\"a\\\\\\\\0b\\"; exit 3')} } ${SHOW()}`,
    `backtick -D d x { ${FAIL('printf \\"a\\\\\\\\0b\\"; exit 3')} } ${SHOW()}`,
    `backtick -x x { ${FAIL('printf \\"a\\\\\\\\0b\\"; exit 3')} } ${SHOW()}`,
    `backtick x { ${FAIL('printf \\"a\\\\\\\\0b\\"; exit 3')} } ${SHOW()}`,
    `backtick -x x { ${FAIL('echo out; exit 3')} } ${SHOW()}`,
    `backtick -D def x { ${FAIL('echo out; exit 3')} } ${SHOW()}`,
    `backtick -D "d\n" x { exit 1 } ${SHOW()}`,
    `backtick -D "" x { exit 1 } ${SHOW()}`,
    `backtick -D def -i x { exit 3 } ${SHOW()}`,
    `backtick -i -D def x { exit 3 } ${SHOW()}`,
    `backtick -I -D def x { exit 3 } ${SHOW()}`,
    `backtick -D def -I x { exit 3 } ${SHOW()}`,
    `backtick -x -D def x { exit 3 } ${SHOW()}`,
    `backtick -D def -x x { exit 3 } ${SHOW()}`,
    `export x old backtick -x x { exit 1 } ${SHOW()}`,
    'backtick -E x { echo hi } echo $x',
    'backtick -e x { echo hi } echo $x',
    'backtick -E -x x { exit 1 } echo [$x]',
    'backtick -E -I x { exit 1 } echo [$x]',
    'backtick -E x { echo a b } echo $x',
    'backtick x { echo hi }',
    'backtick x { exit 2 }',
    'backtick x { } echo',
    'backtick x { nosuchprog } echo',
    'backtick x { /etc/passwd } echo',
    'backtick "" { echo } echo',
    'backtick a=b { echo } echo',
    'backtick x',
    'backtick',
    'backtick -Z x { echo } echo',
    'backtick x { echo a } nosuchprog',
    'backtick x { echo a } sh -c "env | grep ^x="',
    'backtick x { cat } importas x x echo $x',
    'backtick x { getcwd y importas y y echo $y } importas x x echo $x',
    'backtick -E x { forx y { a b } importas -ui y y echo $y } echo $x',
    'backtick -E x { foreground { echo one } echo two } echo $x',
    'backtick -E x { exit 0 } echo [$x]',
    'backtick -E x { exit 5 } echo [$x]',
    'backtick -E x { fdmove 1 2 echo toerr } echo [$x]',
    'backtick -E x { sh -c "test -p /dev/stdout && echo pipe" } echo $x',
    'backtick -E x { sh -c "echo out; echo err >&2" } echo $x',
    'backtick -E x { backtick -E y { echo inner } echo $y } echo $x',
    'foreground { backtick x { exit 3 } echo no } importas -ui ? ? echo $?',
  ])('%s', (script) => {
    same(script, { input: 'stdin-data\n' });
  });

  it('a value too big for the kernel: exec fails with E2BIG (126), no crash', () => {
    same('backtick x { sh -c "head -c 200000 /dev/zero | tr \\\\\\\\0 a" } true');
    same('backtick x { sh -c "head -c 131070 /dev/zero | tr \\\\\\\\0 a" } sh -c "echo ${#x}"');
    same('backtick x { sh -c "head -c 131069 /dev/zero | tr \\\\\\\\0 a" } sh -c "echo ${#x}"');
  });

  it('20 MB of output', () => {
    same('backtick -x x { head -c 20971520 /dev/zero } sh -c "echo ${x-unset}"');
    same('backtick -I x { sh -c "printf abc; head -c 20971520 /dev/zero" } sh -c "echo ${#x}"');
    same('backtick x { sh -c "printf abc; head -c 20971520 /dev/zero" } sh -c "echo ${#x}"');
    same('backtick -D def x { sh -c "head -c 20971520 /dev/zero | tr \\\\\\\\0 a; exit 1" } sh -c "echo ${#x}"');
    same('backtick x { sh -c "head -c 100000 /dev/zero | tr \\\\\\\\0 a" } sh -c "echo ${#x}"');
  });
});

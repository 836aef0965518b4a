// forbacktickx against the reference (a wrapper around pipeline and forstdin there): splitting
// options, exit codes, the loop's stdin, `!`, spawn failures, empty and 20 MB generator output.
import { describe, it } from 'vitest';
import { same, sameAsync, SHOW } from './compare.js';

const EXIT = 'sh -c "echo $x; exit $x"';

describe('forbacktickx', () => {
  it.each([
    `forbacktickx x { printf "a\\\\nb\\\\n" } ${SHOW()}`,
    `forbacktickx x { printf "a\\\\nb" } ${SHOW()}`,
    `forbacktickx -N x { printf "a\\\\nb" } ${SHOW()}`,
    `forbacktickx -n x { printf "a\\\\nb\\\\n" } ${SHOW()}`,
    `forbacktickx -C x { printf "a\\\\n\\\\nb\\\\n" } ${SHOW()}`,
    `forbacktickx -c x { printf "a\\\\n\\\\nb\\\\n" } ${SHOW()}`,
    `forbacktickx -N -C -d : x { printf "a::b:c" } ${SHOW()}`,
    `forbacktickx -d ab x { printf "xaybz" } ${SHOW()}`,
    `forbacktickx -0 x { printf "a\\\\0b\\\\0" } ${SHOW()}`,
    `forbacktickx -d "" x { printf "1:a,2:bc," } ${SHOW()}`,
    `forbacktickx -d "" x { printf "1:a,2:b" } ${SHOW()}`,
    `forbacktickx x { printf "a\\\\0b\\\\n" } ${SHOW()}`,
    `forbacktickx x { printf "" } ${SHOW()}`,
    `forbacktickx x { true } ${SHOW()}`,
    `forbacktickx x { sh -c "echo a; exit 3" } ${SHOW()}`,
    `forbacktickx x { sh -c "echo a; kill -9 $$" } ${SHOW()}`,
    `forbacktickx -o 0 x { printf "0\\\\n3\\\\n0\\\\n" } ${EXIT}`,
    `forbacktickx -x 3 x { printf "0\\\\n3\\\\n0\\\\n" } ${EXIT}`,
    `forbacktickx -o 0 x { printf "0\\\\n200\\\\n" } ${EXIT}`,
    `forbacktickx -p x { printf "0\\\\n3\\\\n0\\\\n" } sh -c "exit $x"`,
    `forbacktickx -p -o 0 x { printf "0\\\\n3\\\\n0\\\\n" } sh -c "exit $x"`,
    'forbacktickx -E x { echo a b } echo $x',
    'forbacktickx -e x { echo a b } echo $x',
    'forbacktickx x { echo a } cat',
    'forbacktickx x { cat } echo $x',
    'forbacktickx -E x { cat } echo $x',
    'export ! 123 forbacktickx x { sh -c "env | grep -c ^!=" } sh -c "env | grep -c ^!="',
    'forbacktickx x { nosuchprog } echo',
    'forbacktickx x { } echo',
    'forbacktickx "" { echo } echo',
    'forbacktickx a=b { echo a } echo',
    'forbacktickx x { echo a }',
    'forbacktickx x',
    'forbacktickx',
    'forbacktickx -P 2 x { echo a } echo',
    'forbacktickx -o z x { echo a } echo',
    'forbacktickx x { echo a } nosuchprog',
    'forbacktickx -o 0 x { echo a } nosuchprog',
    'forbacktickx -E x { echo a } nosuchprog',
    'forbacktickx x { forx y { 1 2 } importas -ui y y echo $y } importas -ui x x echo got $x',
    'forbacktickx -E x { getcwd d importas -ui d d echo $d } echo $x',
    'forbacktickx x { echo a } importas -ui x x echo $x',
    'foreground { forbacktickx -o 0 x { echo a } exit 6 } importas -ui ? ? echo $?',
  ])('%s', (script) => {
    same(script, { input: 'stdin-data\n' });
  });

  it('20 MB of generator output', async () => {
    await sameAsync('forbacktickx -C x { sh -c "head -c 20971520 /dev/zero | tr \\\\\\\\0 \\\\\\\\n" } echo $x');
    await sameAsync('forbacktickx -0 -C x { head -c 20971520 /dev/zero } echo $x');
    await sameAsync('forbacktickx -o 0 x { sh -c "echo first; head -c 20971520 /dev/zero | tr \\\\\\\\0 \\\\\\\\n" } sh -c "echo $x; exit 1"');
  });
});

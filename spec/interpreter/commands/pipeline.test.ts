// pipeline and piperw against the reference: both directions, chains, -d, the ! variable, empty
// blocks, errors, and 16 MiB flowing through a pipe in each direction.
import { describe, expect, it } from 'vitest';
import { runScriptAsync } from '../../helpers.js';
import { same, sameAsync } from './compare.js';

const BIG = 16 * 1024 * 1024;

describe('pipeline', () => {
  it.each([
    'pipeline { echo hi } cat',
    'pipeline -r { printf "a\\nb\\n" } sed s/^/x/',
    'pipeline -w { sed s/^/x/ } echo hi',
    'pipeline -rw { sed s/^/x/ } echo hi',
    'pipeline -wr { echo hi } sed s/^/y/',
    'pipeline { echo hi } pipeline { sed s/h/H/ } pipeline -r { tr a-z A-Z } cat',
    'pipeline { sh -c "echo $$" } importas P ! sh -c "read x; test $x = $1 && echo same" sh $P',
    'pipeline -d { echo hi } cat',
    'pipeline -d { sh -c "echo $$" } importas P ! sh -c "read x; test $x = $1 && echo same" sh $P',
    'pipeline { } sh -c "cat; echo x$?"',
    'pipeline { echo a } foreground { cat } echo done',
    'pipeline { foreground { echo one } echo two } cat',
    'pipeline { cat } tr a-z A-Z',
    'pipeline { sh -c "exec 1>&-; sleep 0.3" } wait { } echo waited',
  ])('%s', (script) => {
    same(script, { input: 'hello\n' });
  });

  it.each([
    'pipeline { echo hi }',
    'pipeline { nonexistent-prog } cat',
    'pipeline -d { nonexistent-prog } cat',
    'pipeline -x { a } b',
    'pipeline { echo a } nonexistent-prog',
    'pipeline { echo a',
  ])('error: %s', (script) => {
    same(script);
  });

  it('carries 16 MiB from the block to the rest, complete and in order', async () => {
    const [ours] = await sameAsync(`pipeline { pipeline { seq 1 3000000 } head -c ${BIG} } sha256sum`);
    expect(ours.stdout).toMatch(/^[0-9a-f]{64} {2}-\n$/);
    const count = await runScriptAsync(`pipeline { head -c ${BIG} /dev/zero } wc -c`);
    expect(count.stdout.trim()).toBe(String(BIG));
  });

  it('carries 16 MiB from the rest to the block with -w', async () => {
    await sameAsync(`pipeline -w { sha256sum } pipeline { seq 1 3000000 } head -c ${BIG}`);
  });

  it('keeps order through a chain of our own blocks', () => {
    same('pipeline { forx -E i { 1 2 3 4 5 } echo $i } pipeline { cat } cat');
  });
});

describe('piperw', () => {
  it.each([
    'piperw 3 4 sh -c "echo hey >&4; exec 4>&-; cat <&3"',
    'piperw 5 6 sh -c "echo a >&6; exec 6>&-; cat <&5"',
    'piperw 4 3 sh -c "echo b >&3; exec 3>&-; cat <&4"',
    'piperw 3 4',
    'piperw x 4 true',
    'piperw 3 x true',
    'piperw 3 3 true',
    'piperw -- 5 6 true',
    'piperw 99999999999 6 true',
  ])('%s', (script) => {
    same(script);
  });
});

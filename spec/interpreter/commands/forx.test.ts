// forx against the reference: every option, exit-code rules, parallel runs, and -P (which the
// reference lacks: checked against its documented meaning, at most maxpar bodies at once).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScript, runScriptAsync } from '../../helpers.js';
import { same, SHOW } from './compare.js';

const EXIT = 'sh -c "echo $x; exit $x"';

describe('forx', () => {
  it.each([
    `forx x { a b c } ${SHOW()}`,
    `forx x { 1 2 3 } ${EXIT}`,
    `forx -e x { a b } echo $x`,
    `forx -E x { a b } echo $x`,
    `forx -E -e x { a b } echo $x`,
    `forx -e -E x { a b } ${SHOW()}`,
    `forx -o 0 x { 0 2 3 } ${EXIT}`,
    `forx -o 0,2 x { 0 2 3 4 } ${EXIT}`,
    `forx -o 0 x { 0 200 3 } ${EXIT}`,
    `forx -o 128 x { 200 201 } ${EXIT}`,
    `forx -o 200 x { 200 201 } ${EXIT}`,
    `forx -x 2 x { 0 1 2 3 } ${EXIT}`,
    `forx -x 3 -o 0 x { 1 2 } sh -c "echo $x; exit 3"`,
    `forx -o 1 -o 2 x { 1 2 } ${EXIT}`,
    `forx -o 1,,2 x { 1 2 } ${EXIT}`,
    `forx -o 1:2 x { 1 2 } ${EXIT}`,
    `forx -o 1x x { 1 2 } ${EXIT}`,
    `forx -o 65536 x { 1 2 } sh -c "echo $x; exit 6"`,
    `forx -o 256 x { 1 2 } sh -c "echo $x; exit 0"`,
    `forx -o 137 x { 1 2 } sh -c "echo $x; kill -9 $$"`,
    `forx -o 9 x { 1 2 } sh -c "echo $x; kill -9 $$"`,
    `forx x { 1 2 } sh -c "echo $x; kill -9 $$"`,
    `forx -o a x { a } echo`,
    `forx -o "" x { a } echo`,
    `forx -o " 1" x { a } echo`,
    'forx -P x { a } echo',
    'forx -P a x { a } echo',
    'forx -Z x { a } echo',
    'forx x { } echo a',
    'forx x { a }',
    'forx x',
    'forx',
    'forx "" { a } echo',
    'forx a=b { a } echo',
    'forx x { a } nosuchprog',
    'forx x { a } /etc/passwd',
    'forx -E x { a } nosuchprog',
    'forx x { a b } forx y { 1 2 } importas -ui x x importas -ui y y echo $x $y',
    'forx x { a b } sh -c "env | grep ^x="',
    'forx -E x { a b } sh -c "env | grep -c ^x="',
    'export x old forx x { a } sh -c "echo $x"',
    'forx x { a b } foreground { echo $x } importas -ui x x echo $x',
    'foreground { forx x { a } exit 3 } importas -D unset x x echo $x',
    'forx -o 0 x { a b } foreground { echo $x } exit 4',
    'forx -p x { 1 } sh -c "echo $x"',
    `forx -p x { 0 2 3 } sh -c "exit $x"`,
    `forx -p -o 0 x { 0 2 3 } sh -c "exit $x"`,
    `forx -p -x 0 x { 0 2 3 } sh -c "exit $x"`,
    `forx -p -x 5 x { 0 2 3 } sh -c "exit $x"`,
    `forx -p -o 0 x { 1 2 } sh -c "kill -9 $$"`,
    'forx -p -o 0 x { 1 } nosuchprog',
    'forx -p -E x { a } echo $x',
    'forx -p x { a } exit 3',
  ])('%s', (script) => {
    same(script);
  });

  it('runs -p bodies concurrently', async () => {
    const t0 = Date.now();
    const r = await runScriptAsync('forx -p x { 1 2 3 4 } sleep 1');
    expect(r.status).toBe(0);
    expect(Date.now() - t0).toBeLessThan(2500);
  });

  it('-P maxpar runs at most maxpar bodies at a time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'forx-P-'));
    // each body records the number of bodies running when it starts, holds for 0.3 s, then leaves
    // Each running body holds one marker file (made and removed atomically) and records how
    // many it sees: the count is the number of bodies running at that moment.
    const body = `sh -c "f=$(mktemp ${dir}/run.XXXXXX); ls ${dir} | grep -c ^run >> ${dir}/seen; sleep 0.3; rm -f $f"`;
    const r = await runScriptAsync(`forx -P 2 x { 1 2 3 4 5 6 } ${body}`);
    expect(r.status).toBe(0);
    const seen = readFileSync(join(dir, 'seen'), 'latin1').trim().split('\n').map(Number);
    expect(seen.length).toBe(6);
    expect(Math.max(...seen)).toBe(2);
  });

  it('-P 1 and -P 0 are sequential, with the break codes of the sequential loop', () => {
    expect(runScript(`forx -P 1 -o 0 x { 0 3 4 } ${EXIT}`).stdout).toBe('0\n3\n');
    expect(runScript(`forx -P 0 -o 0 x { 0 3 4 } ${EXIT}`).status).toBe(3);
  });

  it('-P N with -o reports 1 if a body failed, as -p does', () => {
    const r = runScript(`forx -P 2 -o 0 x { 0 3 0 } sh -c "exit $x"`);
    expect(r.status).toBe(1);
    expect(runScript(`forx -P 2 -o 0,3 x { 0 3 0 } sh -c "exit $x"`).status).toBe(0);
  });
});

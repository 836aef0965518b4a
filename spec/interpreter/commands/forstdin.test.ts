// forstdin against the reference: splitting (-n/-N, -c/-C, -0, -d, netstrings with -d ""), NUL
// bytes, exit codes (1 when nothing was read, -o/-x), parallel runs, a 20 MB input, and -P
// (which the reference lacks: checked against its documented meaning).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScript, runScriptAsync } from '../../helpers.js';
import { same, sameAsync, SHOW } from './compare.js';

const EXIT = 'sh -c "echo $x; exit $x"';

describe('forstdin', () => {
  it.each<[string, string]>([
    [`forstdin x ${SHOW()}`, 'a\nb\n\nc'],
    [`forstdin -n x ${SHOW()}`, 'a\nb\n'],
    [`forstdin -N x ${SHOW()}`, 'a\nb\n\nc'],
    [`forstdin -N -n x ${SHOW()}`, 'a\nb'],
    [`forstdin -C x ${SHOW()}`, 'a\nb\n\nc\n'],
    [`forstdin -C -c x ${SHOW()}`, 'a\n\nc\n'],
    [`forstdin -C -N x ${SHOW()}`, 'a\nb\n\nc'],
    [`forstdin -N -C x ${SHOW()}`, '\n\na'],
    [`forstdin -N -C x ${SHOW()}`, '\n\nab'],
    [`forstdin -C x ${SHOW()}`, '\n\n'],
    [`forstdin -N x ${SHOW()}`, 'abc'],
    [`forstdin x ${SHOW()}`, 'abc'],
    [`forstdin x ${SHOW()}`, ''],
    [`forstdin -N x ${SHOW()}`, ''],
    [`forstdin -0 x ${SHOW()}`, 'a\0b\0\0c'],
    [`forstdin -0 -N x ${SHOW()}`, 'a\0b\0\0c'],
    [`forstdin -0 -C x ${SHOW()}`, 'a\0b\0\0c\0'],
    [`forstdin -d x -0 x ${SHOW()}`, 'a\0bxc\0'],
    [`forstdin -0 -d x x ${SHOW()}`, 'a\0bxc\0'],
    [`forstdin -d ab x ${SHOW()}`, 'xaybzab\nq'],
    [`forstdin -d ab -N x ${SHOW()}`, 'xaybzab\nq'],
    [`forstdin x ${SHOW()}`, 'a\0b\nc\n'],
    [`forstdin -d "" x ${SHOW()}`, '1:a,2:bc,0:,'],
    [`forstdin -d "" -N -C x ${SHOW()}`, '1:a,2:bc,0:,'],
    [`forstdin -d "" x ${SHOW()}`, '1:a,2:bc,0:,3'],
    [`forstdin -d "" x ${SHOW()}`, 'junk'],
    [`forstdin -d "" x ${SHOW()}`, '3:ab'],
    [`forstdin -d "" x ${SHOW()}`, 'a:'],
    [`forstdin -d "" x ${SHOW()}`, ':,'],
    [`forstdin -d "" x ${SHOW()}`, '1:ab,'],
    [`forstdin -d "" x ${SHOW()}`, '01:a,'],
    [`forstdin -d "" x ${SHOW()}`, '00000000000000000001:a,'],
    [`forstdin -d "" x ${SHOW()}`, '00000000000000000000001:a,'],
    [`forstdin -d "" x ${SHOW()}`, '99999999999999999999:a'],
    [`forstdin -d "" x ${SHOW()}`, '3:a\0b,'],
    [`forstdin -d "" x ${SHOW()}`, ''],
    ['forstdin -E x echo $x', 'a\nb\n'],
    ['forstdin -e x echo $x', 'a\nb\n'],
    [`forstdin -o 0 x ${EXIT}`, '0\n3\n0\n'],
    [`forstdin -x 3 x ${EXIT}`, '0\n3\n0\n'],
    [`forstdin -o 0 x ${EXIT}`, '0\n200\n0\n'],
    [`forstdin x ${EXIT}`, '0\n3\n0\n'],
    ['forstdin -o 0 x sh -c "kill -9 $$"', '1\n2\n'],
    [`forstdin -p x sh -c "exit $x"`, '0\n3\n0\n'],
    [`forstdin -p -o 0 x sh -c "exit $x"`, '0\n3\n0\n'],
    [`forstdin -o 0 -p x sh -c "exit $x"`, '0\n3\n0\n'],
    ['forstdin -p -E x echo $x', 'a\n'],
    ['forstdin x', 'a'],
    ['forstdin', 'a'],
    ['forstdin "" echo', 'a'],
    ['forstdin a=b echo', 'a'],
    ['forstdin -o x x echo', 'a'],
    ['forstdin -P x echo', 'a'],
    ['forstdin x nosuchprog', 'a\n'],
    ['forstdin x nosuchprog', ''],
    ['forstdin -E x nosuchprog', 'a\n'],
    ['forstdin x sh -c "echo $x; head -c 3; echo"', 'a\nb\nc\nd\n'],
    ['redirfd -r 0 /dev/null forstdin x echo $x', 'a\n'],
    ['fdclose 0 forstdin x echo', ''],
    ['forstdin x foreground { importas -ui x x echo $x } exit 0', 'a\nb\n'],
    ['foreground { forstdin -o 0 x exit 5 } importas -ui ? ? echo $?', 'a\n'],
  ])('%s <<< %j', (script, input) => {
    same(script, { input });
  });

  it("reads its stdin in the reference's chunks (what a body reading stdin finds)", () => {
    const dir = mkdtempSync(join(tmpdir(), 'forstdin-'));
    const f = join(dir, 'seq');
    writeFileSync(f, Array.from({ length: 5000 }, (_, i) => `${i + 1}\n`).join(''));
    same(`redirfd -r 0 ${f} forstdin -o 0 x sh -c "echo got=$x; head -c 30; exit 1"`);
  });

  it('20 MB of input', async () => {
    await sameAsync('forstdin -C x echo $x', { input: '\n'.repeat(20 * 1024 * 1024) });
    await sameAsync('forstdin -0 -C x echo $x', { input: '\0'.repeat(20 * 1024 * 1024) + 'end' });
    // a line longer than the reference's buffer, read in many chunks
    await sameAsync('forstdin -N x sh -c "echo ${#x}"', { input: 'a'.repeat(120000) + '\nbc' });
  });

  it('-P maxpar runs at most maxpar bodies at a time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'forstdin-P-'));
    // Each running body holds one marker file (made and removed atomically) and records how
    // many it sees: the count is the number of bodies running at that moment.
    const body = `sh -c "f=$(mktemp ${dir}/run.XXXXXX); ls ${dir} | grep -c ^run >> ${dir}/seen; sleep 0.3; rm -f $f"`;
    const r = await runScriptAsync(`forstdin -P 3 x ${body}`, { input: '1\n2\n3\n4\n5\n6\n7\n' });
    expect(r.status).toBe(0);
    const seen = readFileSync(join(dir, 'seen'), 'latin1').trim().split('\n').map(Number);
    expect(seen.length).toBe(7);
    expect(Math.max(...seen)).toBe(3);
    expect(runScript('forstdin -P 2 x echo', { input: '' }).status).toBe(1);
  });
});

// background: differential against the reference execline.
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtures, same, sameDirect } from './differential.js';

let dir = '';
beforeAll(() => {
  dir = fixtures();
});

describe('background', () => {
  it('starts the block and goes on at once', () => {
    same('background { echo bg } importas p ! wait { $p } echo done');
    same('background { foreground { echo in-ours } echo second } wait { } echo done');
    same('background { background { sleep 0.3 } echo a } wait { } echo b');
  });
  it('sets ! to the real pid of the child', () => {
    const s = same('background { sh -c "echo \\$\\$ > pid" } importas p ! wait { } sh -c "test \\"$1\\" = \\"$(cat pid)\\" && echo same" sh $p', { cwd: dir });
    expect(s.stdout).toBe('same\n');
    const r = same('background { sleep 0 } importas p ! sh -c "kill -0 $1 2>/dev/null; echo $?" sh $p');
    expect(r.stdout).toBe('0\n');
  });
  it('without a remainder, exits 0', () => {
    same('background { echo x }');
    sameDirect('background', ['-d', ' echo', '']);
  });
  it('-d: the program is a grandchild, that wait does not wait for', () => {
    same('background -d { echo grandchild } importas p ! wait { $p } echo done');
    same('background -d { sleep 0.5 } wait { } echo not-waited');
    same('background -d { nonexist } echo after');
    same('background -d { noexec } echo after', { extraPath: dir });
  });
  it('usage and errors', () => {
    same('background { }');
    same('background -Z { echo x }');
    same('background { nonexist } echo after');
    same('background { noexec } echo after', { extraPath: dir });
    sameDirect('background', []);
    sameDirect('background', [' echo']);
  });
});

// background: differential against the reference execline.
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtures, sameAsync, sameDirect } from './differential.js';

let dir = '';
beforeAll(() => {
  dir = fixtures();
});

describe('background', () => {
  it('starts the block and goes on at once', async () => {
    await sameAsync('background { echo bg } importas p ! wait { $p } echo done');
    await sameAsync('background { foreground { echo in-ours } echo second } wait { } echo done');
    await sameAsync('background { background { sleep 0.3 } echo a } wait { } echo b');
  });
  it('sets ! to the real pid of the child', async () => {
    const s = await sameAsync('background { sh -c "echo \\$\\$ > pid" } importas p ! wait { } sh -c "test \\"$1\\" = \\"$(cat pid)\\" && echo same" sh $p', {
      cwd: dir,
    });
    expect(s.stdout).toBe('same\n');
    const r = await sameAsync('background { sleep 0 } importas p ! sh -c "kill -0 $1 2>/dev/null; echo $?" sh $p');
    expect(r.stdout).toBe('0\n');
  });
  it('without a remainder, exits 0', async () => {
    await sameAsync('background { echo x }');
    sameDirect('background', ['-d', ' echo', '']);
  });
  it('-d: the program is a grandchild, that wait does not wait for', async () => {
    // (The grandchild prints after a second: which line comes first must not be a race.)
    await sameAsync('background -d { sh -c "sleep 1; echo grandchild" } importas p ! wait { $p } echo done');
    await sameAsync('background -d { sleep 0.5 } wait { } echo not-waited');
    await sameAsync('background -d { nonexist } echo after');
    await sameAsync('background -d { noexec } echo after', { extraPath: dir });
  });
  it('usage and errors', async () => {
    await sameAsync('background { }');
    await sameAsync('background -Z { echo x }');
    await sameAsync('background { nonexist } echo after');
    await sameAsync('background { noexec } echo after', { extraPath: dir });
    sameDirect('background', []);
    sameDirect('background', [' echo']);
  });
});

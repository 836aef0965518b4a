// s6-setsid against the reference: new session (-s), new process group (-b), the foreground
// modes (-f, -g) without a terminal, and -i/-I/-q for failures.
import { describe, expect, it } from 'vitest';
import { directBoth, outcome, scriptBoth } from './compare.js';

const SHOW = ['sh', '-c', 'set -- $(ps -o pid=,pgid=,sid= $$); [ "$1" = "$2" ] && echo group-leader; [ "$1" = "$3" ] && echo session-leader; true'];

describe('s6-setsid', () => {
  for (const opts of [
    [],
    ['-s'],
    ['-b'],
    ['-f'],
    ['-g'],
    ['-i', '-f'],
    ['-q', '-f'],
    ['-I', '-g'],
    ['-i', '-g', '-d', '5'],
    ['-g', '-d', '5'],
    ['-i', '-b', '-d', '5'],
    ['-d', 'x'],
    ['-x'],
  ]) {
    it(`s6-setsid ${opts.join(' ')}`, () => {
      const { ours, ref } = directBoth('s6-setsid', [...opts, ...SHOW]);
      expect(outcome(ours)).toEqual(outcome(ref));
    });
  }
  it('needs a program', () => {
    const { ours, ref } = directBoth('s6-setsid', []);
    expect(outcome(ours)).toEqual(outcome(ref));
  });
  it('in a block: the child is a session leader, the parent is not changed', () => {
    const { ours, ref } = scriptBoth(`foreground { s6-setsid ${SHOW.slice(0, 2).join(' ')} "${SHOW[2].replace(/"/g, '\\"')}" } echo after`);
    expect(ours.stdout).toContain('session-leader');
    expect(outcome(ours)).toEqual(outcome(ref));
  });
  it('twice: the second setsid fails (already a session leader) with a warning, or fatally with -i', () => {
    for (const s of ['s6-setsid s6-setsid true', 's6-setsid s6-setsid -i true', 's6-setsid s6-setsid -q true']) {
      const { ours, ref } = scriptBoth(s);
      expect(outcome(ours)).toEqual(outcome(ref));
    }
  });
});

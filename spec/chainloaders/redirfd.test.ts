// redirfd against the reference: every mode, the fd table the program sees (fds >= 3 included),
// shared offsets, non-blocking flags, fifos, and errors.
import { describe, expect, it, beforeEach, afterAll } from 'vitest';
import { runScript } from '../helpers.js';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { directBoth, outcome, type Pair } from './compare.js';

/** A private directory for this file's fixtures (0755: the tests that drop to nobody read it). */
const T = mkdtempSync(join(tmpdir(), 'elts-redirfd-'));
chmodSync(T, 0o755);
afterAll(() => rmSync(T, { recursive: true, force: true }));
const D = join(T, 'redirfd');
const FDS = 'ls -l /proc/self/fd';

function reset(): void {
  rmSync(D, { recursive: true, force: true });
  mkdirSync(D);
  writeFileSync(`${D}/in`, 'line1\nline2\n');
  writeFileSync(`${D}/exists`, 'old\n');
}

/** Runs the script under both, each in a fresh directory (the files it writes are compared too). */
function fresh(script: string): Pair {
  const s = script.replaceAll('$D', D);
  reset();
  const ours = runScript(s);
  reset();
  const ref = runScript(s, { ref: true });
  return { ours, ref };
}

describe('redirfd', () => {
  beforeEach(reset);
  const scripts = [
    'redirfd -r 0 $D/in cat',
    'redirfd -w 1 $D/out foreground { echo a } cat $D/out',
    'redirfd -a 1 $D/exists foreground { echo appended } cat $D/exists',
    'redirfd -x 1 $D/exists echo x',
    'redirfd -x 1 $D/new foreground { echo new } cat $D/new',
    'redirfd -u 3 $D/in cat /proc/self/fdinfo/3',
    'redirfd -w 3 $D/three sh -c "echo to3 >&3; cat $D/three"',
    'redirfd -r 5 $D/in redirfd -w 7 $D/seven ls /proc/self/fd',
    `redirfd -w 1 $D/o foreground { ${FDS} } cat $D/o`,
    'redirfd -r 0 $D/in -n cat',
    'redirfd -n -r 0 $D/in grep -E ^flags /proc/self/fdinfo/0',
    'redirfd -nb -r 0 $D/in grep -E ^flags /proc/self/fdinfo/0',
    'redirfd -b -r 0 $D/in grep -E ^flags /proc/self/fdinfo/0',
    'redirfd -r 1 /nonexist true',
    'redirfd -w 1 /nonexist/x true',
    'redirfd -w x $D/f true',
    'redirfd -r 99999999999 $D/in true',
    'redirfd -r 2000000 $D/in true',
    'redirfd -c 1 $D/in true',
    'redirfd -r 1 $D/in',
    'redirfd 1 $D/in true',
    'redirfd -r 1 $D/in nosuchprogram',
    // a fifo with no reader: -w blocks, -nb opens at once (the reference's ENXIO dance)
    'foreground { mkfifo $D/fifo } redirfd -w -nb 1 $D/fifo grep -E ^flags /proc/self/fdinfo/1',
    'foreground { mkfifo $D/fifo } redirfd -r -nb 0 $D/fifo grep -E ^flags /proc/self/fdinfo/0',
  ];
  for (const s of scripts) {
    it(s, () => {
      const { ours, ref } = fresh(s);
      expect(outcome(ours)).toEqual(outcome(ref));
    });
  }
  it("dup'd fds share one offset (fdmove -c after redirfd)", () => {
    const { ours, ref } = fresh('fdmove -c 5 1 redirfd -w 1 $D/shared fdmove -c 2 1 foreground { sh -c "echo one; echo two >&2" } fdmove 1 5 cat $D/shared');
    expect(ours.stdout).toBe('one\ntwo\n');
    expect(outcome(ours)).toEqual(outcome(ref));
  });
  it('called directly, from sh', () => {
    const { ours, ref } = directBoth('redirfd', ['-r', '0', `${D}/in`, 'cat']);
    expect(outcome(ours)).toEqual(outcome(ref));
  });
});

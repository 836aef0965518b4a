// s6-setuidgid against the reference: the final program's Uid, Gid and Groups, and errors.
import { describe, expect, it, afterAll } from 'vitest';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { directBoth, outcome, scriptBoth } from './compare.js';

/** A private directory for this file's fixtures (0755: the tests that drop to nobody read it). */
const T = mkdtempSync(join(tmpdir(), 'elts-s6suid-'));
chmodSync(T, 0o755);
afterAll(() => rmSync(T, { recursive: true, force: true }));

const STATUS = ['grep', '-E', '^(Uid|Gid|Groups)', '/proc/self/status'];

describe('s6-setuidgid', () => {
  for (const account of ['nobody', 'root', 'www-data', '65534:65534', '0:0', '33:65534', '']) {
    it(`runs the program as ${JSON.stringify(account)} (called directly)`, () => {
      const { ours, ref } = directBoth('s6-setuidgid', [account, ...STATUS]);
      expect(ref.status).toBe(0);
      expect(outcome(ours)).toEqual(outcome(ref));
    });
  }
  for (const account of ['nosuch', '1:2:3', ':2', '1:', 'x:1']) {
    it(`fails on ${account} as the reference does`, () => {
      const { ours, ref } = directBoth('s6-setuidgid', [account, 'true']);
      expect(ref.status).not.toBe(0);
      expect(outcome(ours)).toEqual(outcome(ref));
    });
  }
  it('needs an account and a program', () => {
    for (const args of [[], ['nobody']]) {
      const { ours, ref } = directBoth('s6-setuidgid', args);
      expect(ref.status).toBe(100);
      expect(outcome(ours)).toEqual(outcome(ref));
    }
  });
  it('drops privileges for good: a second change fails with EPERM, before anything runs', () => {
    for (const rest of [
      ['s6-setuidgid', 'root', 'echo', 'ran'],
      ['s6-applyuidgid', '-g', '1', 'echo', 'ran'],
      ['s6-applyuidgid', '-G', '1', 'echo', 'ran'],
    ]) {
      const { ours, ref } = directBoth('s6-setuidgid', ['nobody', ...rest]);
      expect(ref.status).toBe(111);
      expect(outcome(ours)).toEqual(outcome(ref));
    }
  });
  it('later commands of the chain run as the new user (an unreadable envdir file)', () => {
    const { ours, ref } = scriptBoth(
      `foreground { rm -rf ${T}/s6suid } foreground { mkdir ${T}/s6suid } foreground { redirfd -w 1 ${T}/s6suid/X echo v } foreground { chmod 000 ${T}/s6suid/X } s6-setuidgid nobody s6-envdir ${T}/s6suid true`,
    );
    expect(ref.status).toBe(111);
    expect(outcome(ours)).toEqual(outcome(ref));
  });
  it('in a block, the commands after the drop run as the new user too', () => {
    for (const s of [
      'foreground { s6-setuidgid nobody redirfd -w 1 /root/el-not-allowed echo hi } importas ? ? echo $?',
      'foreground { s6-setuidgid nobody export A b grep -E "^(Uid|Gid|Groups)" /proc/self/status } importas ? ? echo $?',
    ]) {
      const { ours, ref } = scriptBoth(s);
      expect(outcome(ours)).toEqual(outcome(ref));
    }
  });
  it('works in a block (a real child with the groups set)', () => {
    const s = `foreground { s6-setuidgid nobody ${STATUS.join(' ')} } foreground { s6-setuidgid 33:65534 ${STATUS.join(' ')} } ${STATUS.join(' ')}`;
    const { ours, ref } = scriptBoth(s);
    expect(ref.status).toBe(0);
    expect(outcome(ours)).toEqual(outcome(ref));
  });
});

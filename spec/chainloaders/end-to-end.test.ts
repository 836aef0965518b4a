// The scripts of the issue, end to end against the reference: a root run script dropping to
// nobody with a redirection, the s6-overlay cont-init pattern, SIGPIPE and fds in the program.
import { describe, expect, it, afterAll } from 'vitest';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { outcome, scriptBoth } from './compare.js';

/** A private directory for this file's fixtures (0755: the tests that drop to nobody read it). */
const T = mkdtempSync(join(tmpdir(), 'elts-e2e-'));
chmodSync(T, 0o755);
afterAll(() => rmSync(T, { recursive: true, force: true }));
const LOG = join(T, 'e2e.log');

describe('end to end', () => {
  it('root run script: s6-envuidgid, importas, redirfd, s6-applyuidgid -U (UID unexported: fails as the reference)', () => {
    const { ours, ref } = scriptBoth(`s6-envuidgid nobody importas -u UID UID importas -u GID GID redirfd -w 1 ${LOG} s6-applyuidgid -U id`);
    expect(outcome(ours)).toEqual(outcome(ref));
  });
  it('root run script dropping to nobody and writing its log', () => {
    const logs: string[] = [];
    for (const ref of [false, true]) {
      rmSync(LOG, { force: true });
      const s =
        's6-envuidgid nobody importas UID UID importas GID GID redirfd -w 1 ' +
        LOG +
        ' s6-applyuidgid -u $UID -g $GID -G "" sh -c "id; ls /proc/self/fd; grep -E \\"^(Uid|Gid|Groups)\\" /proc/self/status"';
      const p = scriptBoth(s);
      expect(outcome(p.ours)).toEqual(outcome(p.ref));
      logs.push(readFileSync(LOG, 'utf8'));
      void ref;
    }
    expect(logs[0]).toContain('uid=65534(nobody)');
  });
  it('the s6-overlay cont-init pattern (import -u -D0, define, with a user of this machine)', () => {
    // Debian's execline 2.9.3 has no `import`: the reference runs the same with importas.
    const tail =
      'define CONFD_CHECK_CMD "/usr/sbin/nginx -t -c {{ .src }}" foreground { echo $UID $GID $CONFD_PREFIX } foreground { echo $CONFD_CHECK_CMD } sh -c "env | grep -c ^UID= || true"';
    const env = { CONFD_PREFIX: '-prefix=/x' };
    const ours = scriptBoth(`s6-envuidgid www-data import -u -D0 UID import -u -D0 GID import -u CONFD_PREFIX ${tail}`, { env }).ours;
    const ref = scriptBoth(`s6-envuidgid www-data importas -u -D0 UID UID importas -u -D0 GID GID importas -u CONFD_PREFIX CONFD_PREFIX ${tail}`, { env }).ref;
    expect(ours.stdout).toBe('33 33 -prefix=/x\n/usr/sbin/nginx -t -c {{ .src }}\n0\n');
    expect(outcome(ours)).toEqual(outcome(ref));
  });
  it('the program after the chain-loaders gets SIGPIPE and SIGXFSZ back (raw exec and helper paths)', () => {
    for (const s of [
      'redirfd -w 3 /dev/null sh -c "grep ^SigIgn /proc/self/status"',
      's6-softlimit -o 100 sh -c "grep ^SigIgn /proc/self/status"',
      'fdclose 0 s6-setsid sh -c "yes | head -c 2; grep ^SigIgn /proc/self/status"',
    ]) {
      const { ours, ref } = scriptBoth(s);
      expect(outcome(ours)).toEqual(outcome(ref));
    }
    // In a block, the reference's spawned children have signals 32 and 33 ignored (its spawn
    // quirk, for every block); what matters here is that SIGPIPE (13) and SIGXFSZ (25) are not.
    const r = scriptBoth('foreground { s6-setuidgid nobody sh -c "grep ^SigIgn /proc/self/status" } true').ours;
    const mask = BigInt('0x' + r.stdout.trim().split(/\s+/)[1]);
    expect(mask & ((1n << 12n) | (1n << 24n))).toBe(0n);
  });
  it('a block with a closed stdin sees it closed (helper), its parent does not', () => {
    const { ours, ref } = scriptBoth(
      'foreground { fdclose 0 ls /proc/self/fd } foreground { fdclose 0 fdclose 2 s6-softlimit -o 50 ls /proc/self/fd } ls /proc/self/fd',
    );
    expect(outcome(ours)).toEqual(outcome(ref));
  });
});

// The chain end to end, where only ours can be asked: the differential checks of the issue's
// scripts (a root run script dropping to nobody with a redirection, the s6-overlay cont-init
// pattern, SIGPIPE and fds in the program) are conformance cases (s6-applyuidgid-run-script-*,
// s6-envuidgid-cont-init-import, redirfd-sigign, s6-softlimit-sigign, s6-setsid-direct-sigign,
// fdclose-block-closed-stdin-helper).
import { describe, expect, it } from 'vitest';
import { runScript } from '../helpers.js';

describe('end to end', () => {
  it('in a block, the program after s6-setuidgid gets SIGPIPE and SIGXFSZ back', () => {
    // Not compared with the reference: its spawned children have signals 32 and 33 ignored (its
    // spawn quirk, for every block); what matters here is that SIGPIPE (13) and SIGXFSZ (25) are not.
    const r = runScript('foreground { s6-setuidgid nobody sh -c "grep ^SigIgn /proc/self/status" } true');
    expect(r.stdout).toMatch(/^SigIgn:\s+[0-9a-f]+\n$/);
    const mask = BigInt(`0x${r.stdout.trim().split(/\s+/)[1]}`);
    expect(mask & ((1n << 12n) | (1n << 24n))).toBe(0n);
  });
});

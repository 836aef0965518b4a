// setlimits (interpreter/platform/setlimits.c): an exec in place under resource limits goes
// through this single-threaded program, so that no allocation of Node's other threads can fail
// under a memory limit between setrlimit and execve. Checked: the program itself (limits, the
// exec_ae search, the messages and exit codes ours would give), and that the chain really execs
// through it (an installed tree whose setlimits is a wrapper that leaves a mark).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, NODE, ROOT, spawnAsync } from '../../helpers.js';

const SETLIMITS = join(ROOT, 'dist/setlimits');
const RLIMIT_DATA = 2;
const RLIMIT_NOFILE = 7;
const INF = '18446744073709551615';
let dir = '';

beforeAll(() => {
  dir = mkdtempSync('/tmp/elts-setlimits-');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs setlimits PROG NAME N limits... M candidates... -- argv... */
function run(limits: Array<[number, string, string]>, candidates: string[], argv: string[], env: Record<string, string> = {}) {
  const words = ['PROG', argv[0], String(limits.length), ...limits.flat().map(String), String(candidates.length), ...candidates, '--', ...argv];
  return spawnAsync(SETLIMITS, words, { env: { PATH: '/usr/bin:/bin', ...env } });
}

describe('setlimits', () => {
  it('sets the limits, then execs the first candidate that runs, with the argv and environment given', async () => {
    const r = await run(
      [
        [RLIMIT_NOFILE, '37', '37'],
        [RLIMIT_DATA, '50000000', INF],
      ],
      [join(dir, 'missing-sh'), '/bin/sh'],
      ['NAME0', '-c', 'echo "$0 $(ulimit -n) $(ulimit -d) $X"'],
      { X: 'x' },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('NAME0 37 48828 x\n');
    expect(r.status).toBe(0);
  });

  it('says what ours would on a failed exec: 127 when nothing was found, 126 otherwise, errno 0 with no candidate', async () => {
    const noexec = join(dir, 'noexec');
    writeFileSync(noexec, 'echo no\n');
    chmodSync(noexec, 0o644);
    const missing = await run([[RLIMIT_NOFILE, '40', '40']], [join(dir, 'missing/a'), join(dir, 'missing-b')], ['prog']);
    expect([missing.stderr, missing.status]).toEqual(['PROG: fatal: unable to exec prog: No such file or directory\n', 127]);
    // EACCES is remembered and the search goes on; it is the answer when nothing else runs.
    const denied = await run([[RLIMIT_NOFILE, '40', '40']], [noexec, join(dir, 'missing-b')], ['prog']);
    expect([denied.stderr, denied.status]).toEqual(['PROG: fatal: unable to exec prog: Permission denied\n', 126]);
    const none = await run([[RLIMIT_NOFILE, '40', '40']], [], ['prog']);
    expect([none.stderr, none.status]).toEqual(['PROG: fatal: unable to exec prog: Success\n', 126]);
  });

  it('dies 111 with "unable to setrlimit" when a limit cannot be set', async () => {
    // A soft limit above the hard one is EINVAL.
    const r = await run([[RLIMIT_NOFILE, '50', '40']], ['/bin/true'], ['true']);
    expect([r.stderr, r.status]).toEqual(['PROG: fatal: unable to setrlimit: Invalid argument\n', 111]);
  });

  it('exits 111 without running anything on a malformed command line', async () => {
    for (const words of [[], ['P', 'n', 'x'], ['P', 'n', '1', '7', '1'], ['P', 'n', '0', '1', '/bin/echo', 'no-dashes', 'echo']]) {
      const r = await spawnAsync(SETLIMITS, words, { env: {} });
      expect([r.stdout, r.status], words.join(' ')).toEqual(['', 111]);
    }
  });

  it('is what an exec in place under s6-softlimit goes through, and only then', async () => {
    const tree = join(dir, 'tree');
    const inst = await spawnAsync(join(BIN, 'execline-ts'), ['install', '--node', NODE, tree], { env: { PATH: '/usr/bin:/bin' } });
    expect(inst.status, inst.stderr).toBe(0);
    // The installed setlimits becomes a wrapper that leaves a mark, then runs the real one.
    const wrapped = join(tree, '.execline-ts/setlimits');
    writeFileSync(wrapped, `#!/bin/sh\necho via-setlimits >&2\nexec ${SETLIMITS} "$@"\n`);
    chmodSync(wrapped, 0o755);
    const env = { PATH: `${tree}:/usr/bin:/bin` };
    const limited = await spawnAsync(join(tree, 'execlineb'), ['-Pc', 's6-softlimit -d 40000000 -o 30 sh -c "echo $(ulimit -d) $(ulimit -n)"'], { env });
    expect([limited.stdout, limited.stderr, limited.status]).toEqual(['39062 30\n', 'via-setlimits\n', 0]);
    const failed = await spawnAsync(join(tree, 'execlineb'), ['-Pc', 's6-softlimit -o 30 nonexistent-program'], { env });
    expect([failed.stderr, failed.status]).toEqual([
      'via-setlimits\ns6-softlimit: fatal: unable to exec nonexistent-program: No such file or directory\n',
      127,
    ]);
    // Without a limit, the program is exec'd directly.
    const plain = await spawnAsync(join(tree, 'execlineb'), ['-Pc', 'sh -c "echo plain"'], { env });
    expect([plain.stdout, plain.stderr, plain.status]).toEqual(['plain\n', '', 0]);
  });
});

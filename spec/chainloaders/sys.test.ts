// The platform boundary: koffi is loaded only when a script needs a libc call, and the calls
// behave (pipe2 gives close-on-exec fds that never reach a program).
import { describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BIN, OURS_PATH } from '../helpers.js';
import * as sys from '../../chainloaders/sys/index.js';

const HOOK = '/tmp/el-koffi-hook.cjs';
const LOG = '/tmp/el-koffi-hook.log';

/** Runs a script with a --require hook that logs every module load naming koffi. */
function koffiLoads(script: string): string {
  writeFileSync(
    HOOK,
    "const M = require('module'); const o = M._load; M._load = function (r, ...a) { if (/koffi/.test(r)) require('fs').appendFileSync(process.env.EL_HOOK_LOG, r + '\\n'); return o.call(this, r, ...a); };\n",
  );
  rmSync(LOG, { force: true });
  const r = spawnSync(join(BIN, 'execlineb'), ['-Pc', script], {
    encoding: 'utf8',
    env: { PATH: OURS_PATH, NODE_OPTIONS: `--require=${HOOK}`, EL_HOOK_LOG: LOG },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  expect(r.stderr).toBe('');
  try {
    return readFileSync(LOG, 'utf8');
  } catch {
    return '';
  }
}

describe('chainloaders/sys', () => {
  it('a script that needs no libc call never loads koffi', () => {
    expect(koffiLoads('export A b fdclose 5 s6-envuidgid nobody envfile -I /nonexistent foreground { true } echo hi')).toBe('');
  });
  it('a script that needs one loads it (control)', () => {
    expect(koffiLoads('redirfd -w 3 /dev/null true')).toContain('koffi');
    expect(koffiLoads('s6-softlimit -o 100 true')).toContain('koffi');
  });
  it('pipe() gives close-on-exec fds, dup2 and fcntl work', () => {
    const [r, w] = sys.pipe();
    expect(sys.getfd(r) & sys.FD_CLOEXEC).toBe(sys.FD_CLOEXEC);
    expect(sys.getfd(w) & sys.FD_CLOEXEC).toBe(sys.FD_CLOEXEC);
    const c = sys.dupCloexec(w, 100);
    expect(c).toBeGreaterThanOrEqual(100);
    sys.setNonblock(r, true);
    sys.setNonblock(r, false);
    expect(() => sys.dup2(9999, 9998)).toThrow(/EBADF/);
    const lim = sys.getrlimit(7);
    expect(lim.soft <= lim.hard).toBe(true);
    expect(sys.loaded()).toBe(true);
  });
});

// The platform boundary: the native addon's calls behave (pipe2 gives close-on-exec fds, spawn
// applies an exact fd table and reports the kernel's errno), and Node under our launchers never
// reads the environment meant for programs (NODE_OPTIONS), which still reaches them unchanged.
import { describe, expect, it, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync, openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BIN, OURS_PATH } from '../../helpers.js';
import * as sys from '../../../interpreter/platform/index.js';
import { waitFor } from '../../../interpreter/runtime/children.js';

const T = mkdtempSync(join(tmpdir(), 'elts-sys-'));
afterAll(() => rmSync(T, { recursive: true, force: true }));

const plan = (files: string[], argv: string[], fds: Array<[number, number]>): sys.ExecPlan => ({
  files: files.map((f) => Buffer.from(f)),
  argv: argv.map((a) => Buffer.from(a)),
  envp: [Buffer.from('PATH=/usr/bin:/bin')],
  fds,
  rlimits: [],
  ignored: 0n,
  blocked: 0n,
  creds: null,
});

describe('interpreter/platform', () => {
  it('Node under the launcher ignores NODE_OPTIONS, which still reaches the program', () => {
    const hook = join(T, 'hook.cjs');
    const log = join(T, 'hook.log');
    writeFileSync(hook, `require('fs').appendFileSync(${JSON.stringify(log)}, 'loaded\\n');\n`);
    const r = spawnSync(join(BIN, 'execlineb'), ['-Pc', 'foreground { true } sh -c "echo $NODE_OPTIONS"'], {
      encoding: 'utf8',
      env: { PATH: OURS_PATH, NODE_OPTIONS: `--require=${hook}` },
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`--require=${hook}\n`);
    expect(() => readFileSync(log, 'utf8')).toThrow(/ENOENT/);
  });

  it('Node keeps no compile cache in a shared /tmp (another user could plant code there)', async () => {
    // A private /tmp (mount namespace), then a script run: nothing of Node's may appear there.
    const { spawn } = await import('node:child_process');
    const out = await new Promise<{ code: number | null; text: string }>((resolve) => {
      // (The checkout may itself be under /tmp: it is bound back into the fresh /tmp from the cwd.)
      const root = join(BIN, '..');
      const cmd = `cd ${root} && mount -t tmpfs tmpfs /tmp && mkdir -p ${root} && mount -c --bind . ${root} && ${join(BIN, 'execlineb')} -Pc "foreground { true } echo ran" && ls -A /tmp | grep -v '^${root.split('/')[2] ?? ''}$' || true`;
      const c = spawn('unshare', ['-m', 'sh', '-c', cmd], {
        env: { PATH: OURS_PATH },
      });
      let text = '';
      c.stdout.on('data', (d) => (text += d));
      c.stderr.on('data', (d) => (text += d));
      c.on('close', (code) => resolve({ code, text }));
    });
    if (/unshare failed|Operation not permitted/.test(out.text)) return; // no mount namespaces here
    expect(out).toEqual({ code: 0, text: 'ran\n' });
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
    for (const fd of [r, w, c]) closeSync(fd);
  });

  it('spawn gives the program exactly the fd table asked for, swaps included', () => {
    const out = join(T, 'fds');
    const o = openSync(out, 'w');
    const a = openSync('/dev/null', 'r');
    // fd 1 -> the file, fd 5 -> /dev/null, fd 7 -> the file too; nothing else (not even 0 and 2).
    const pid = sys.spawn(
      plan(
        ['/bin/sh'],
        ['sh', '-c', 'ls /proc/self/fd | sort -n | tr "\\n" " "'],
        [
          [1, o],
          [5, a],
          [7, o],
        ],
      ),
    );
    expect(waitFor(pid)).toEqual({ code: 0, signal: 0 });
    // ls's own directory fd takes the lowest free number, 0
    expect(readFileSync(out, 'utf8')).toBe('0 1 5 7 ');
    closeSync(o);
    closeSync(a);
  });

  it('spawn reports the kernel errno of a program that cannot run, and searches as exec_ae', () => {
    const bad = join(T, 'bad');
    writeFileSync(bad, '\x7fELF\x02\x01\x01\x00junk');
    chmodSync(bad, 0o755);
    const err = (files: string[]) => {
      try {
        waitFor(sys.spawn(plan(files, ['x'], [])));
        return 'ran';
      } catch (e) {
        return `${(e as sys.SysError).stage} ${(e as sys.SysError).code}`;
      }
    };
    expect(err([bad])).toBe('exec ENOEXEC');
    expect(err([join(T, 'missing')])).toBe('exec ENOENT');
    expect(err([T])).toBe('exec EACCES');
    // EACCES is remembered and the search goes on; ENOENT is skipped
    expect(err([T, join(T, 'missing'), '/bin/true'])).toBe('ran');
    expect(err([join(T, 'missing'), T])).toBe('exec EACCES');
    // ENOEXEC ends the search
    expect(err([bad, '/bin/true'])).toBe('exec ENOEXEC');
  });
});

describe('checksum (the code cache guard)', () => {
  it('is the same for the same bytes and differs when any byte, the length or the order changes', () => {
    const base = Buffer.alloc(1003);
    for (let i = 0; i < base.length; i++) base[i] = (i * 131) & 255;
    const h = sys.checksum(base);
    expect(h).toMatch(/^[0-9a-f]{1,16}$/);
    expect(sys.checksum(Buffer.from(base))).toBe(h);
    const seen = new Set([h]);
    // Every single-byte change (in the 8-byte words and in the tail), a shorter buffer, two words swapped.
    for (let i = 0; i < base.length; i++) {
      const b = Buffer.from(base);
      b[i] ^= 1;
      seen.add(sys.checksum(b));
    }
    seen.add(sys.checksum(base.subarray(0, 1002)));
    const swapped = Buffer.from(base);
    base.copy(swapped, 0, 8, 16);
    base.copy(swapped, 8, 0, 8);
    seen.add(sys.checksum(swapped));
    expect(seen.size).toBe(base.length + 3);
    expect(sys.checksum(Buffer.alloc(0))).not.toBe(sys.checksum(Buffer.alloc(8)));
  });
});

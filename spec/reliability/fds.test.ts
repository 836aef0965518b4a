// The final program's fd table is the reference's: for a battery of scripts (redirfd in every
// mode, fdmove, fdclose, fdswap, fdblock, piperw, pipeline, heredoc, background, blocks, fds
// inherited from the parent), the program lists its /proc/self/fd (targets normalized for temp
// paths and pipe inodes) with the flags that matter (access mode, O_APPEND, O_NONBLOCK,
// close-on-exec), and the listing must equal the reference's: nothing opened by Node or by us
// leaks into it, and nothing the script set up is missing.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawnSync, type StdioOptions } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execlineb, hasStackTrace, sidePath } from './common.js';
import { spawnAsync } from '../helpers.js';

let dir = '';
let lister = '';

beforeAll(() => {
  dir = mkdtempSync('/tmp/elts-fds-');
  chmodSync(dir, 0o755);
  lister = join(dir, 'lister.sh');
  // The program: a sh whose subshell reads its fd table from outside (so that the reading opens
  // nothing in it) and appends it to the file named by $1; the redirection applies in the subshell.
  writeFileSync(lister, ['(ls -l /proc/$$/fd/; grep -s -H ^flags: /proc/$$/fdinfo/*) >> "$1"', 'exit 0', ''].join('\n'));
  writeFileSync(join(dir, 'input'), 'input\n');
  spawnSync('mkfifo', [join(dir, 'fifo')]);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface Fd {
  fd: number;
  target: string;
  access: 'r' | 'w' | 'rw' | '?';
  append: boolean;
  nonblock: boolean;
  cloexec: boolean;
}

/** Parses one lister output into fds, dropping the ones the lister's sh opened itself. */
function parse(text: string): Map<number, Fd> {
  const fds = new Map<number, Fd>();
  for (const line of text.split('\n')) {
    const m = /^\S+ +\d+ +\S+ +\S+ +\d+ .* (\d+) -> (.*)$/.exec(line);
    if (m) fds.set(Number(m[1]), { fd: Number(m[1]), target: m[2], access: '?', append: false, nonblock: false, cloexec: false });
  }
  for (const line of text.split('\n')) {
    const m = /^\/proc\/\d+\/fdinfo\/(\d+):flags:\s*([0-7]+)$/.exec(line);
    const f = m ? fds.get(Number(m[1])) : undefined;
    if (!m || !f) continue;
    const flags = parseInt(m[2], 8);
    f.access = (['r', 'w', 'rw', '?'] as const)[flags & 3];
    f.append = (flags & 0o2000) !== 0;
    f.nonblock = (flags & 0o4000) !== 0;
    f.cloexec = (flags & 0o2000000) !== 0;
  }
  // sh opens its script (close-on-exec, at 10 or above): that one is the lister's own.
  for (const [n, f] of fds) if (f.target === lister) fds.delete(n);
  return fds;
}

/** Normalizes the listings of one run together: temp paths, and pipes/sockets numbered by first appearance. */
function normalize(listings: Map<number, Fd>[]): string[][] {
  const ids = new Map<string, string>();
  return listings.map((l) =>
    [...l.values()]
      .sort((a, b) => a.fd - b.fd)
      .map((f) => {
        let t = f.target.split(dir).join('TMP');
        t = t.replace(/^(pipe|socket|anon_inode):\[?(\d+)\]?$/, (all, kind) => {
          if (!ids.has(all)) ids.set(all, `${kind}#${[...ids.keys()].filter((k) => k.startsWith(kind)).length + 1}`);
          return ids.get(all)!;
        });
        return `${f.fd} ${t} ${f.access}${f.append ? ' append' : ''}${f.nonblock ? ' nonblock' : ''}${f.cloexec ? ' CLOEXEC' : ''}`;
      }),
  );
}

interface Case {
  name: string;
  /** The script; LIST(tag) is replaced by the lister writing to the output named tag. */
  script: string;
  /** The lister outputs to compare, in order. */
  outs: string[];
  /** Extra fds given by the parent: fd -> a file to open read-only. */
  inherit?: Record<number, string>;
  /** Extra environment for both sides. */
  env?: Record<string, string>;
  /** How many times to run ours (for races). */
  repeat?: number;
}

// Node reads this file on a thread of its own at start-up, through an fd without close-on-exec.
const CA = '/etc/ssl/certs/ca-certificates.crt';
const caEnv: Record<string, string> = existsSync(CA) ? { NODE_EXTRA_CA_CERTS: CA } : {};

const L = (tag: string) => `sh LISTER OUT/${tag}`;

const CASES: Case[] = [
  { name: 'nothing', script: L('a'), outs: ['a'] },
  { name: 'redirfd -r 0', script: `redirfd -r 0 TMP/input ${L('a')}`, outs: ['a'] },
  { name: 'redirfd -w 1', script: `redirfd -w 1 TMP/w ${L('a')}`, outs: ['a'] },
  { name: 'redirfd -a 3', script: `redirfd -a 3 TMP/a ${L('a')}`, outs: ['a'] },
  { name: 'redirfd -u 4', script: `redirfd -u 4 TMP/u ${L('a')}`, outs: ['a'] },
  { name: 'redirfd -x 5', script: `redirfd -x 5 TMP/x ${L('a')}`, outs: ['a'] },
  { name: 'redirfd -n -w 7', script: `redirfd -n -w 7 TMP/n ${L('a')}`, outs: ['a'] },
  { name: 'redirfd -n -b -w 8', script: `redirfd -nb -w 8 TMP/nb ${L('a')}`, outs: ['a'] },
  { name: 'redirfd -r -n -b on a fifo', script: `redirfd -r -n -b 9 TMP/fifo ${L('a')}`, outs: ['a'] },
  { name: 'redirfd -r -n on a fifo (stays nonblocking)', script: `redirfd -r -n 6 TMP/fifo ${L('a')}`, outs: ['a'] },
  { name: 'redirfd on 0, 1 and 2 at once', script: `redirfd -r 0 TMP/input redirfd -w 1 TMP/o redirfd -a 2 TMP/e ${L('a')}`, outs: ['a'] },
  { name: 'redirfd -w 15, high fd', script: `redirfd -w 15 TMP/h ${L('a')}`, outs: ['a'] },
  { name: 'fdmove -c 3 1', script: `fdmove -c 3 1 ${L('a')}`, outs: ['a'] },
  { name: 'fdmove 4 0 (closes 0)', script: `fdmove 4 0 ${L('a')}`, outs: ['a'] },
  { name: 'fdmove -c 2 1 after redirfd', script: `redirfd -w 1 TMP/o fdmove -c 2 1 ${L('a')}`, outs: ['a'] },
  { name: 'fdclose 0', script: `fdclose 0 ${L('a')}`, outs: ['a'] },
  { name: 'fdclose 1 and 2', script: `fdclose 1 fdclose 2 ${L('a')}`, outs: ['a'] },
  { name: 'fdswap 0 1', script: `redirfd -r 0 TMP/input fdswap 0 1 ${L('a')}`, outs: ['a'] },
  { name: 'fdswap 1 3', script: `redirfd -w 3 TMP/w fdswap 1 3 ${L('a')}`, outs: ['a'] },
  { name: 'fdblock -n 1', script: `fdblock -n 1 ${L('a')}`, outs: ['a'] },
  { name: 'fdblock -n then fdblock', script: `fdblock -n 0 fdblock 0 ${L('a')}`, outs: ['a'] },
  { name: 'piperw 3 4', script: `piperw 3 4 ${L('a')}`, outs: ['a'] },
  { name: 'piperw 5 6 then fdmove', script: `piperw 5 6 fdmove 0 5 fdmove 1 6 ${L('a')}`, outs: ['a'] },
  { name: 'pipeline', script: `pipeline { ${L('w')} } ${L('r')}`, outs: ['w', 'r'] },
  { name: 'pipeline -w', script: `pipeline -w { ${L('r')} } ${L('w')}`, outs: ['r', 'w'] },
  { name: 'pipeline with redirfd inside the block', script: `pipeline { redirfd -w 3 TMP/p ${L('w')} } ${L('r')}`, outs: ['w', 'r'] },
  { name: 'heredoc 0', script: `heredoc 0 "hello\n" ${L('a')}`, outs: ['a'] },
  { name: 'heredoc 5', script: `heredoc 5 hello ${L('a')}`, outs: ['a'] },
  { name: 'inherited fd 3 and 20', script: L('a'), outs: ['a'], inherit: { 3: '/etc/passwd', 20: '/etc/group' } },
  { name: 'inherited fd 3 and 20 moved and closed', script: `fdclose 20 fdmove 4 3 ${L('a')}`, outs: ['a'], inherit: { 3: '/etc/passwd', 20: '/etc/group' } },
  { name: 'inherited fd 20 into a block', script: `foreground { ${L('b')} } ${L('a')}`, outs: ['b', 'a'], inherit: { 3: '/etc/passwd', 20: '/etc/group' } },
  { name: 'background', script: `background { ${L('bg')} } wait { } ${L('a')}`, outs: ['bg', 'a'] },
  { name: 'background with redirfd', script: `redirfd -w 3 TMP/w background { fdmove -c 4 3 ${L('bg')} } wait { } ${L('a')}`, outs: ['bg', 'a'] },
  { name: 'foreground block', script: `foreground { ${L('b')} } ${L('a')}`, outs: ['b', 'a'] },
  { name: 'foreground block with redirfd', script: `foreground { redirfd -w 3 TMP/w ${L('b')} } ${L('a')}`, outs: ['b', 'a'] },
  { name: 'if block with piperw', script: `if { piperw 3 4 ${L('b')} } ${L('a')}`, outs: ['b', 'a'] },
  { name: 'backtick block', script: `backtick X { ${L('b')} } ${L('a')}`, outs: ['b', 'a'] },
  { name: 'NODE_EXTRA_CA_CERTS: background', script: `background { ${L('bg')} } wait { } ${L('a')}`, outs: ['bg', 'a'], env: caEnv, repeat: 8 },
  { name: 'NODE_EXTRA_CA_CERTS: pipeline', script: `pipeline { ${L('w')} } ${L('r')}`, outs: ['w', 'r'], env: caEnv, repeat: 8 },
  { name: 'NODE_EXTRA_CA_CERTS: foreground', script: `foreground { ${L('b')} } ${L('a')}`, outs: ['b', 'a'], env: caEnv, repeat: 8 },
  { name: 'NODE_EXTRA_CA_CERTS: in place', script: L('a'), outs: ['a'], env: caEnv, repeat: 8 },
  { name: 'NODE_EXTRA_CA_CERTS: in place with redirfd -w 3', script: `redirfd -w 3 TMP/w ${L('a')}`, outs: ['a'], env: caEnv, repeat: 8 },
  {
    name: 'everything',
    script: `redirfd -r 0 TMP/input redirfd -a 3 TMP/a fdmove -c 4 1 fdswap 1 4 fdclose 4 piperw 5 6 heredoc 7 x fdblock -n 7 redirfd -w 12 TMP/w ${L('a')}`,
    outs: ['a'],
  },
];

/** Runs a case on one side; returns the listings, stdout/stderr and status. */
async function run(c: Case, ref: boolean): Promise<{ listings: Map<number, Fd>[]; stderr: string; status: number | null; raw: string[] }> {
  const out = join(dir, `${ref ? 'ref' : 'ours'}-${c.name.replace(/[^a-z0-9]+/gi, '_')}`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out);
  for (const f of ['w', 'a', 'x', 'n', 'nb', 'o', 'e', 'h', 'p']) rmSync(join(dir, f), { force: true });
  writeFileSync(join(dir, 'u'), 'u\n');
  const script = c.script.replaceAll('LISTER', lister).replaceAll('OUT', out).replaceAll('TMP', dir);
  const file = join(out, 'script');
  writeFileSync(file, script + '\n');
  const opened: number[] = [];
  const stdio: StdioOptions = ['pipe', 'pipe', 'pipe'];
  const top = Math.max(2, ...Object.keys(c.inherit ?? {}).map(Number));
  for (let i = 3; i <= top; i++) {
    const f = c.inherit?.[i];
    if (f === undefined) (stdio as unknown[]).push('ignore');
    else {
      const fd = openSync(f, 'r');
      opened.push(fd);
      (stdio as unknown[]).push(fd);
    }
  }
  // Something must hold the fifo's other end open for the -n -b read opens not to matter.
  const r = await spawnAsync(execlineb(ref), ['-P', file], { env: { PATH: sidePath(ref), ...(c.env ?? {}) }, stdio, timeout: 20000, cwd: '/tmp', input: '' });
  for (const fd of opened) closeSync(fd);
  const raw = c.outs.map((t) => (existsSync(join(out, t)) ? readFileSync(join(out, t), 'latin1') : ''));
  return { listings: raw.map((t) => parse(t.split(out).join('OUT'))), stderr: r.stderr, status: r.status, raw };
}

describe('the final program sees the reference fd table', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const ref = await run(c, true);
      for (let i = 0; i < (c.repeat ?? 1); i++) check(c, await run(c, false), ref);
    });
  }
});

/** Ours against the reference: same status and stderr, same listings, no close-on-exec, no Node fds. */
function check(c: Case, ours: Awaited<ReturnType<typeof run>>, ref: Awaited<ReturnType<typeof run>>): void {
  const env = c.env ? `, env: ${JSON.stringify(c.env)}` : '';
  const where = `(script: ${c.script}${c.inherit ? `, inherited: ${JSON.stringify(c.inherit)}` : ''}${env})`;
  expect(hasStackTrace(ours.stderr), ours.stderr).toBe(false);
  expect(
    ref.raw.every((t) => t.length > 0),
    `reference listing missing ${where} ${ref.stderr}`,
  ).toBe(true);
  expect({ status: ours.status, stderr: ours.stderr }, where).toEqual({ status: ref.status, stderr: ref.stderr });
  const [o, r] = [normalize(ours.listings), normalize(ref.listings)];
  expect(o, where).toEqual(r);
  for (const l of ours.listings)
    for (const f of l.values()) {
      expect(f.cloexec, `fd ${f.fd} close-on-exec ${where}`).toBe(false);
      expect(f.target, `fd ${f.fd} leaked ${where}`).not.toMatch(/eventpoll|eventfd|signalfd|inotify|timerfd|node_modules|execline\.cjs/);
    }
}

// Guard: the listings above must not be vacuous.
describe('the lister', () => {
  it('lists stdin, stdout and stderr', async () => {
    const r = await run(CASES[0], true);
    expect([...r.listings[0].keys()].filter((n) => n <= 2)).toEqual([0, 1, 2]);
    expect(readdirSync(dir).length).toBeGreaterThan(0);
  });
});

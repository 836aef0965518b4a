// A process a launcher started runs the command that launcher was installed as, whatever its
// argv[0] says, as a C binary runs its own main() whatever argv[0] it was given (exec -a, a
// supervisor or a busybox-style caller). The argv[0] is what the command then sees; it is not
// read again as a file to learn which command it is (a path to a file that is not there, or not
// ours, used to be taken for an external program and exec'd). And the start's loading: the
// platform layer that cannot load is one line with dlopen's reason.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, OURS_PATH, REF_BIN, REF_PATH, ROOT, hasStackTrace, spawnAsync } from '../../helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'execline-launched-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// A file that is not a launcher, under a command's own name: it must never run.
const impostors = join(tmp, 'impostors');
mkdirSync(impostors);
for (const n of ['execlineb', 'fdmove', 'if', 'foreground', 's6-echo', 'importas']) {
  writeFileSync(join(impostors, n), '#!/bin/sh\necho impostor\nexit 42\n');
  chmodSync(join(impostors, n), 0o755);
}

/** Runs prog with argv[0] set to argv0, with the PATH of its side. */
function runAs(argv0: string, prog: string, args: string[], path = OURS_PATH) {
  return spawnAsync(prog, args, { argv0, env: { PATH: path }, timeout: 30000 });
}

// (Debian has no s6-echo, s6-portable-utils' program: what it prints is written out instead.)
const cases: { name: string; args: string[]; ref: string | { stdout: string; stderr: string; status: number } }[] = [
  { name: 'execlineb', args: ['-c', 'echo ran'], ref: join(REF_BIN, 'execlineb') },
  { name: 'execlineb', args: ['-Pc', 'foreground { echo in-block } echo after'], ref: join(REF_BIN, 'execlineb') },
  { name: 'fdmove', args: ['-c', '3', '1', 'echo', 'moved'], ref: join(REF_BIN, 'fdmove') },
  { name: 'if', args: ['{', 'true', '}', 'echo', 'then'], ref: join(REF_BIN, 'if') },
  { name: 'foreground', args: ['{', 'echo', 'a', '}', 'echo', 'b'], ref: join(REF_BIN, 'foreground') },
  { name: 's6-echo', args: ['-n', '--', 'hello'], ref: { stdout: 'hello', stderr: '', status: 0 } },
  { name: 'importas', args: ['-D', 'dflt', 'X', 'EXECLINE_TS_UNSET_X', 'echo', '${X}'], ref: join(REF_BIN, 'importas') },
];

describe('a launcher runs its own command whatever argv[0] says', () => {
  for (const c of cases) {
    for (const [label, argv0] of [
      ['a path to nothing', `/nonexistent/${c.name}`],
      ['a path to another program of that name', join(impostors, c.name)],
      ['a bare name', c.name],
      ['a relative path', `./${c.name}`],
    ] as const) {
      it(`${c.name} ${c.args.join(' ')}, argv[0] ${label}: as the reference`, async () => {
        const [ours, ref] = await Promise.all([
          runAs(argv0, join(BIN, c.name), c.args),
          typeof c.ref === 'string' ? runAs(argv0, c.ref, c.args, REF_PATH) : c.ref,
        ]);
        expect(ref.stdout).not.toContain('impostor');
        expect({ stdout: ours.stdout, stderr: ours.stderr, status: ours.status }).toEqual({ stdout: ref.stdout, stderr: ref.stderr, status: ref.status });
      });
    }
  }

  it('a later step that names the same path is looked up as a file again (the impostor is external there)', async () => {
    const fake = join(impostors, 'execlineb');
    const r = await runAs(fake, join(BIN, 'execlineb'), ['-Pc', `foreground { ${fake} -c "echo x" } echo done`]);
    expect([r.stdout, r.status]).toEqual(['impostor\ndone\n', 0]);
  });
});

describe('loading the platform layer', () => {
  // A tree of our own: the launchers and the bundle beside them, with Node from the checkout.
  const tree = join(tmp, 'tree');
  mkdirSync(tree);
  cpSync(join(ROOT, 'bin'), join(tree, 'bin'), { recursive: true });
  cpSync(join(ROOT, 'dist'), join(tree, 'dist'), { recursive: true, filter: (s) => !s.includes('.compile-cache') });
  symlinkSync(join(ROOT, 'node_modules'), join(tree, 'node_modules'));

  it('an addon that is missing or damaged: one line with the reason, 111, no stack trace', async () => {
    const addon = join(tree, 'dist/sys.node');
    const good = readFileSync(addon);
    try {
      for (const [plant, reason] of [
        [() => rmSync(addon), /cannot open shared object file: No such file or directory$/],
        [() => writeFileSync(addon, 'not an ELF file'), /(file too short|invalid ELF header)$/],
      ] as const) {
        plant();
        const r = await spawnAsync(join(tree, 'bin/execlineb'), ['-Pc', 'echo never'], { env: {}, timeout: 30000 });
        expect(r.status).toBe(111);
        expect(r.stdout).toBe('');
        const lines = r.stderr.split('\n').filter(Boolean);
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(
          new RegExp(`^execlineb: fatal: unable to start: unable to load the platform layer: ${addon.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `),
        );
        expect(lines[0]).toMatch(reason);
        expect(hasStackTrace(r.stderr)).toBe(false);
        // The CLI too (it used to print a stack trace).
        for (const args of [['--version'], ['fdmove', '1', '1', 'true']]) {
          const c = await spawnAsync(join(tree, 'bin/execline-ts'), args, { env: {}, timeout: 30000 });
          expect([c.status, c.stdout, hasStackTrace(c.stderr)]).toEqual([111, '', false]);
          expect(c.stderr).toMatch(/^execline-ts: fatal: unable to start: unable to load the platform layer: .*\n$/);
        }
      }
    } finally {
      writeFileSync(addon, good);
    }
    const ok = await spawnAsync(join(tree, 'bin/execlineb'), ['-Pc', 'echo back'], { env: {}, timeout: 30000 });
    expect([ok.stdout, ok.status]).toEqual(['back\n', 0]);
  });

  it('the run path bundle is ASCII, as the entry file reads it (latin1)', () => {
    const core = readFileSync(join(ROOT, 'dist/execline-core.cjs'));
    expect(core.findIndex((c) => c > 0x7f)).toBe(-1);
  });
});

/** Runs the same script under ours and the reference (execlineb -Pc), each with its PATH. */
async function bothRun(script: string, env: Record<string, string> = {}) {
  return Promise.all([
    spawnAsync(join(BIN, 'execlineb'), ['-Pc', script], { env: { PATH: OURS_PATH, ...env }, timeout: 30000 }),
    spawnAsync(join(REF_BIN, 'execlineb'), ['-Pc', script], { env: { PATH: REF_PATH, ...env }, timeout: 30000 }),
  ]);
}

/** The outcome with the two sides' own directories written alike. */
const outcome = (r: { stdout: string; stderr: string; status: number | null }) => {
  const norm = (t: string) => t.split(BIN).join('BIN').split(REF_BIN).join('BIN');
  return { stdout: norm(r.stdout), stderr: norm(r.stderr), status: r.status };
};

/**
 * Runs execlineb -Pc script(d) under ours and the reference, each in a directory of its own, d,
 * under `parent` (`ours-NAME`, `ref-NAME`), which prepare(d, bin) fills first; d is written DIR in
 * what both print, so that the two can be compared.
 */
async function bothIn(parent: string, name: string, prepare: (d: string, bin: string) => void, script: (d: string) => string) {
  return Promise.all(
    [BIN, REF_BIN].map(async (b) => {
      const d = join(parent, `${b === BIN ? 'ours' : 'ref'}-${name}`);
      prepare(d, b);
      const r = await spawnAsync(join(b, 'execlineb'), ['-Pc', script(d)], { env: { PATH: b === BIN ? OURS_PATH : REF_PATH }, timeout: 30000 });
      const hide = (t: string) => t.split(d).join('DIR');
      return { ...r, stdout: hide(r.stdout), stderr: hide(r.stderr) };
    }),
  );
}

describe('a Node child runs the command its parent started it for, whatever argv[0] says', () => {
  // getpid, s6-setsid and tryexec in a block need a process of their own: a Node child. It used
  // to be dispatched by its argv[0], which exec -a sets: NAME was an unknown command, `exit`
  // ran exit, and internal entry points of the bundle (--write-launchers) could be reached.
  for (const script of [
    'if { exec -a NAME getpid P true } echo after',
    'foreground { exec -a exit getpid 7 true } importas r ? echo $r',
    'foreground { exec -a /nonexistent/getpid getpid P sh -c "echo $0" } true',
    'foreground { exec -a --write-launchers getpid WL "[]" } echo done',
    'foreground { exec -a --load-only getpid P echo loaded } echo done',
    'foreground { exec -a execline-ts getpid P echo not-the-cli } echo done',
    'foreground { exec -a NAME s6-setsid -s echo in-session } echo s',
    'foreground { exec -a NAME tryexec { echo tried } echo no } echo t',
    'background { exec -a NAME fdmove 1 1 echo bg } wait',
    'forx -p x { 1 2 } exec -a NAME getpid P true',
    'foreground { s6-envuidgid -D 0:0 root s6-applyuidgid -U exec -a NAME fdmove 1 1 echo as-root } echo r',
  ]) {
    it(script, async () => {
      const [ours, ref] = await bothRun(script);
      expect(outcome(ours)).toEqual(outcome(ref));
    });
  }
});

describe('a path names our command only while it is one of our launchers this process may exec', () => {
  const dir = join(tmp, 'paths');
  mkdirSync(dir);

  it('a symlink moved to another program between two steps: the new program runs', async () => {
    // (named fdmove: only a command's name can be one of ours)
    const [ours, ref] = await bothIn(
      dir,
      'sw',
      (d, b) => {
        mkdirSync(d);
        symlinkSync(join(b, 'fdmove'), join(d, 'fdmove'));
      },
      (d) => `foreground { ${d}/fdmove 1 1 echo A } foreground { ln -sf /bin/echo ${d}/fdmove } ${d}/fdmove 1 1 echo B`,
    );
    expect(outcome(ours)).toEqual(outcome(ref));
    expect(ours.stdout).toBe('A\n1 1 echo B\n');
  });

  it('a copy of a launcher without execute permission is not run: the spawn fails with EACCES', async () => {
    const [ours, ref] = await bothIn(
      dir,
      'nx',
      (d, b) => {
        mkdirSync(d);
        cpSync(join(b, 'fdmove'), join(d, 'fdmove'));
        chmodSync(join(d, 'fdmove'), 0o644);
      },
      (d) => `foreground { ${d}/fdmove 1 1 echo A } echo end`,
    );
    expect(outcome(ours)).toEqual(outcome(ref));
    expect(ours.stderr).toBe('foreground: warning: unable to spawn DIR/fdmove: Permission denied\n');
  });

  it.runIf(process.getuid?.() === 0)('after a privilege drop, a launcher in a directory the user cannot search is not run', async () => {
    const [ours, ref] = await bothIn(
      dir,
      'priv',
      (d, b) => {
        mkdirSync(d, { mode: 0o700 });
        symlinkSync(join(b, 'fdmove'), join(d, 'fdmove'));
      },
      (d) => `foreground { ${d}/fdmove 1 1 true } s6-setuidgid nobody ${d}/fdmove 1 1 id -u`,
    );
    expect(ours.status).toBe(126);
    expect(outcome(ours)).toEqual(outcome(ref));
  });
});

describe('E2BIG at a spawn names what the reference names, and counts what the kernel counts', () => {
  const gen = 'sh -c "head -c 131072 /dev/zero | tr -c a a; echo; echo small"';
  for (const script of [
    `pipeline { ${gen} } forstdin -E x echo hi`,
    `pipeline { ${gen} } forstdin -E x fdmove 1 1 echo \${x}`,
    `pipeline { ${gen} } forstdin -p -E x fdmove 1 1 echo \${x}`,
  ]) {
    it(script.replace(/sh -c "[^"]*"/g, 'GEN'), async () => {
      const [ours, ref] = await bothRun(script);
      expect(ref.status).toBe(111);
      expect(outcome(ours)).toEqual(outcome(ref));
    });
  }

  // (forbacktickx: the reference names its own fdmove by its full path, ours by its name; the
  // conformance suite's e2big-spawn cases compare that one by the stderr's shape.)
  for (const p of ['', '-p ']) {
    it(`forx ${p}-E with an element of 131070 bytes in the script: the body's first word`, async () => {
      const file = join(tmp, `forx-big${p.trim()}.el`);
      writeFileSync(file, `forx ${p}-E x { small ${'a'.repeat(131070)} small2 } true\n`);
      const [ours, ref] = await Promise.all([
        spawnAsync(join(BIN, 'execlineb'), ['-P', file], { env: { PATH: OURS_PATH }, timeout: 30000 }),
        spawnAsync(join(REF_BIN, 'execlineb'), ['-P', file], { env: { PATH: REF_PATH }, timeout: 30000 }),
      ]);
      expect(ref.stderr).toBe('forx: fatal: unable to spawn true: Argument list too long\n');
      expect(outcome(ours)).toEqual(outcome(ref));
    });
  }

  it('the first step a launcher runs is not measured again: the kernel took that exec (a long argv[0], a small stack)', async () => {
    const argv0 = `${'a'.repeat(70000)}/execlineb`;
    const run = (b: string, p: string) =>
      spawnAsync('bash', ['-c', 'ulimit -s 512 && exec -a "$0" "$@"', argv0, join(b, 'execlineb'), '-c', 'echo ok'], { env: { PATH: p }, timeout: 30000 });
    const [ours, ref] = await Promise.all([run(BIN, OURS_PATH), run(REF_BIN, REF_PATH)]);
    expect([ref.stdout, ref.status]).toEqual(['ok\n', 0]);
    expect(outcome(ours)).toEqual(outcome(ref));
  });
});

describe('from the second review', () => {
  it.runIf(process.getuid?.() === 0)('a launcher path right after credentials taken in a block is judged as the new user', async () => {
    const [ours, ref] = await bothIn(
      tmp,
      'cred',
      (d, b) => {
        mkdirSync(d, { mode: 0o700 });
        cpSync(join(b, 'fdmove'), join(d, 'fdmove'));
      },
      (d) =>
        `foreground { s6-setuidgid nobody ${d}/fdmove 1 1 id -un } importas r ? foreground { echo rc=$r } foreground { s6-envuidgid nobody s6-applyuidgid -U ${d}/fdmove 1 1 id -un } foreground { s6-setuidgid root ${d}/fdmove 1 1 id -un } s6-setuidgid nobody fdmove 1 1 id -un`,
    );
    expect(ours.stdout).toBe('rc=126\nroot\nnobody\n');
    expect(outcome(ours)).toEqual(outcome(ref));
  });

  it('-E loops: a variable whose name starts with - (importas -ui -- var var, as the reference)', async () => {
    for (const script of ['forx -E -- -v { a b } echo ${-v}', 'pipeline { echo a } forstdin -E -- -v echo ${-v}']) {
      const [ours, ref] = await bothRun(script);
      expect(outcome(ours)).toEqual(outcome(ref));
    }
  });

  it('E2BIG counts the file the PATH search reaches: past a directory of the command name', async () => {
    const { execWouldE2BIG } = await import('../../../interpreter/runtime/exec.js');
    const { makeState } = await import('../../../interpreter/runtime/state.js');
    const { RLIMIT } = await import('../../../interpreter/platform/linux.js');
    // A directory of that name first, then a long directory holding the command.
    const base = join(tmp, 'e2big-path');
    const decoy = join(base, 'decoy');
    const long = join(base, 'l'.repeat(200));
    mkdirSync(join(decoy, 'cmd'), { recursive: true });
    mkdirSync(long, { recursive: true });
    writeFileSync(join(long, 'cmd'), '#!/bin/sh\n', { mode: 0o755 });
    const st = makeState('p', new Map());
    // A 512 KiB stack: the kernel's limit is 128 KiB for everything.
    st.rlimits = [{ resource: RLIMIT.STACK, soft: 524288n, hard: 524288n }];
    const path = `${decoy}:${long}`;
    const fits = (n: number) => !execWouldE2BIG(st, ['cmd', 'a'.repeat(n)], path);
    // What the kernel counts: the file name (the long path), argv, and a pointer for each.
    const file = join(long, 'cmd').length + 1;
    const room = 131072 - file - 4 - 8 * 2 - 1;
    expect(fits(room)).toBe(true);
    expect(fits(room + 1)).toBe(false);
  });
});

describe('loading, from the second review', () => {
  /** A tree of our own with an empty cache directory, as an install makes it. */
  function freshTree(name: string): string {
    const t = join(tmp, name);
    mkdirSync(t);
    cpSync(join(ROOT, 'bin'), join(t, 'bin'), { recursive: true });
    cpSync(join(ROOT, 'dist'), join(t, 'dist'), { recursive: true, filter: (s) => !s.includes('.compile-cache') });
    mkdirSync(join(t, 'dist/.compile-cache'), { mode: 0o755 });
    chmodSync(join(t, 'dist/.compile-cache'), 0o755);
    symlinkSync(join(ROOT, 'node_modules'), join(t, 'node_modules'));
    return t;
  }

  it('a cache saved under umask 077 is still readable by others (a service that gave up root reads it)', async () => {
    const t = freshTree('umask077');
    const r = await spawnAsync('sh', ['-c', 'umask 077; exec "$0" -Pc "echo ran"', join(t, 'bin/execlineb')], {
      env: { PATH: '/usr/bin:/bin' },
      timeout: 30000,
    });
    expect([r.stdout, r.stderr, r.status]).toEqual(['ran\n', '', 0]);
    const files = readdirSync(join(t, 'dist/.compile-cache'));
    expect(files).toHaveLength(1);
    expect(statSync(join(t, 'dist/.compile-cache', files[0])).mode & 0o777).toBe(0o644);
  });

  it('a fifo where the platform layer goes: one line and 111, no wait', async () => {
    const t = freshTree('fifo');
    rmSync(join(t, 'dist/sys.node'));
    expect(spawnSync('mkfifo', [join(t, 'dist/sys.node')]).status).toBe(0);
    const r = await spawnAsync(join(t, 'bin/execlineb'), ['-Pc', 'echo never'], { env: {}, timeout: 30000 });
    expect([r.stdout, r.status, r.signal]).toEqual(['', 111, null]);
    expect(r.stderr).toMatch(/^execlineb: fatal: unable to start: unable to load the platform layer: .*sys\.node is not a regular file\n$/);
  });
});

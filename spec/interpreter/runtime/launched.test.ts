// A process a launcher started runs the command that launcher was installed as, whatever its
// argv[0] says, as a C binary runs its own main() whatever argv[0] it was given (exec -a, a
// supervisor or a busybox-style caller). The argv[0] is what the command then sees; it is not
// read again as a file to learn which command it is (a path to a file that is not there, or not
// ours, used to be taken for an external program and exec'd). And the start's loading: the
// platform layer that cannot load is one line with dlopen's reason.
import { afterAll, describe, expect, it } from 'vitest';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

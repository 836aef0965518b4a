// The installer writes launchers that name Node by absolute path, so #! scripts run with no PATH.
import { describe, expect, it, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, chmodSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE, ROOT } from '../helpers.js';

let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'execline-install-'));
  const r = spawnSync(NODE, [join(ROOT, 'dist/execline.cjs'), '--install', join(dir, 'command')], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
});

function script(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  chmodSync(p, 0o755);
  return p;
}

describe('--install DIR', () => {
  it('writes one launcher per command, each naming Node and the bundle by absolute path', () => {
    const names = readdirSync(join(dir, 'command'));
    for (const n of ['execlineb', 'foreground', 'importas', 'if', 'define']) expect(names).toContain(n);
    // The launcher is the compiled C program with its config block filled in.
    const image = readFileSync(join(dir, 'command', 'execlineb'));
    expect(image.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    const at = image.indexOf('execline-ts launcher config:');
    expect(at).toBeGreaterThan(0);
    const [node, bundle, command] = image.subarray(at + 28, at + 4096).toString('latin1').split('\0');
    expect(node).toMatch(/^\/\S+\/node$/);
    expect(bundle).toBe(join(ROOT, 'dist/execline.cjs'));
    expect(command).toBe('execlineb');
  });

  it('each launcher is its command whatever argv[0] says (exec -a, a symlink, a renamed copy)', () => {
    const el = join(dir, 'command', 'execlineb');
    const b = spawnSync('bash', ['--norc', '--noprofile', '-c', `exec -a foo ${el} -Pc "/bin/echo hi"`], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
    expect({ out: b.stdout, err: b.stderr }).toEqual({ out: 'hi\n', err: '' });
    const link = join(dir, 'myel');
    spawnSync('ln', ['-sf', el, link]);
    expect(spawnSync(link, ['-Pc', '/bin/echo linked'], { encoding: 'utf8', env: {} }).stdout).toBe('linked\n');
    const copy = join(dir, 'mymove');
    spawnSync('cp', [join(dir, 'command', 'fdmove'), copy]);
    const m = spawnSync(copy, ['-c', '3', '1', '/bin/sh', '-c', 'echo moved >&3'], { encoding: 'utf8', env: {} });
    expect({ out: m.stdout, err: m.stderr }).toEqual({ out: 'moved\n', err: '' });
  });

  it('runs a #!DIR/execlineb -P script with an empty environment', () => {
    const p = script('run', `#!${dir}/command/execlineb -P\ndefine X hello\nforeground { /bin/echo $X }\nimportas -D unset P PATH\n/bin/echo done $P\n`);
    const r = spawnSync(p, [], { encoding: 'utf8', env: {} });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('hello\ndone unset\n');
    expect(r.status).toBe(0);
  });

  it('runs a #!DIR/execlineb -S1 finish script with its argument', () => {
    const p = script('finish', `#!${dir}/command/execlineb -S1\nif { /bin/sh -c "exit $1" }\n/bin/echo exited zero\n`);
    expect(spawnSync(p, ['0'], { encoding: 'utf8', env: {} }).stdout).toBe('exited zero\n');
    const r = spawnSync(p, ['3'], { encoding: 'utf8', env: {} });
    expect(r.stdout).toBe('');
    expect(r.status).toBe(3);
  });

  it('dispatches a path to an installed launcher in-process', () => {
    const p = script('abs', `#!${dir}/command/execlineb -P\n${dir}/command/define X y /bin/sh -c "echo \${X} $$"\n`);
    const r = spawnSync(p, [], { encoding: 'utf8', env: {} });
    expect(r.stdout).toBe(`y ${r.pid}\n`);
  });
});

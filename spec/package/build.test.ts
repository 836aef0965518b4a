// The build fails in one line that says why, never with a JavaScript stack trace: no esbuild
// (npm ci not run), no C compiler, no Node >= 22.15 to run the commands.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE, ROOT, hasStackTrace, spawnAsync } from '../helpers.js';

let top = '';
beforeAll(() => {
  top = mkdtempSync(join(tmpdir(), 'elts-build-'));
});
afterAll(() => {
  if (top) rmSync(top, { recursive: true, force: true });
});

/** A copy of the repository's tracked sources (no node_modules, dist or bin). */
function sources(name: string): string {
  const dir = join(top, name);
  mkdirSync(dir);
  const files = spawnSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).stdout.split('\0').filter(Boolean);
  for (const f of files) if (!f.startsWith('spec/') && !f.startsWith('conformance/')) cpSync(join(ROOT, f), join(dir, f), { recursive: true });
  return dir;
}

describe('npm run build', () => {
  it('without node_modules: one line naming what to run, exit 1', async () => {
    const dir = sources('bare');
    const r = await spawnAsync(NODE, ['scripts/build.mjs'], { cwd: dir, env: { PATH: '/usr/bin:/bin' }, timeout: 60000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^build: fatal: esbuild is not installed \(run npm ci\): [^\n]*\n$/);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('without a C compiler: one line naming the file and the package to install', async () => {
    const dir = sources('nocc');
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    const r = await spawnAsync(NODE, ['scripts/build.mjs'], { cwd: dir, env: { PATH: '/usr/bin:/bin', CC: '/nonexistent/cc' }, timeout: 120000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'build: fatal: unable to compile interpreter/platform/native.c: no C compiler (/nonexistent/cc): install gcc (apt-get install gcc libc6-dev)\n',
    );
  });

  it('a command file that exports no command stops the build, naming the file', async () => {
    const dir = sources('nocmd');
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    writeFileSync(join(dir, 'interpreter/commands/helper.ts'), 'export const x = 1;\n');
    const r = await spawnAsync(NODE, ['scripts/build.mjs'], { cwd: dir, env: { PATH: '/usr/bin:/bin' }, timeout: 120000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('build: fatal: interpreter/commands/helper.ts exports no command: export const NAME = defineCommand({ names: [...], ... })\n');
  });

  it('a name claimed twice stops the build; a command however its names are written gets its launcher', async () => {
    const dir = sources('names');
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    const cmd = (name: string) =>
      `import { defineCommand } from '../command/command.js';\nexport const c = defineCommand({ names: ["${name}"], prog: "${name}", usage: "${name}", run: () => ['true'] });\n`;
    writeFileSync(join(dir, 'interpreter/commands/twice.ts'), cmd('exit'));
    const r = await spawnAsync(NODE, ['scripts/build.mjs'], { cwd: dir, env: { PATH: '/usr/bin:/bin' }, timeout: 120000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('build: fatal: the command name exit is claimed by both interpreter/commands/exit.ts and interpreter/commands/twice.ts\n');
    writeFileSync(join(dir, 'interpreter/commands/twice.ts'), cmd('dq-named'));
    const ok = await spawnAsync(NODE, ['scripts/build.mjs'], { cwd: dir, env: { PATH: '/usr/bin:/bin' }, timeout: 180000 });
    expect({ status: ok.status, err: ok.stderr }).toEqual({ status: 0, err: '' });
    expect(existsSync(join(dir, 'bin/dq-named'))).toBe(true);
  }, 240000);
});

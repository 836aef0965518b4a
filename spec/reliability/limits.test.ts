// Big inputs: a 1 MiB script, blocks nested 10,000 deep, 100,000 arguments, 1 MiB values. Ours
// gives the reference's result, or succeeds where the reference dies of E2BIG only because it
// re-execs itself, or fails with a clear one-line error; never a JavaScript stack overflow, a
// crash (signal, abort) or a stack trace.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasStackTrace, runFile } from './common.js';
import type { Run } from '../helpers.js';

let dir = '';
const MiB = 1024 * 1024;

beforeAll(() => {
  dir = mkdtempSync('/tmp/elts-limits-');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
/** Writes a script file and returns its path. */
function file(text: string): string {
  const f = join(dir, `s${n++}`);
  writeFileSync(f, text, 'latin1');
  return f;
}

/** No crash of any kind: no stack trace, no JS overflow, ended by exit, not by a signal. */
function sane(r: Run, what: string): void {
  const msg = `${what}: status=${r.status} signal=${r.signal} stderr=${r.stderr.slice(0, 600)}`;
  expect(hasStackTrace(r.stderr), msg).toBe(false);
  expect(r.stderr, msg).not.toMatch(/Maximum call stack size exceeded|RangeError|Native stack trace|FATAL ERROR|JavaScript heap/);
  expect(r.signal, msg).toBe(null);
  expect(r.status, msg).not.toBe(null);
  expect(r.status, msg).toBeLessThan(128);
}

/** A clear error: one `prog: fatal: ...` line, exit 100, 111 or (exec failed) 126. */
function clearError(r: Run, what: string): void {
  const msg = `${what}: status=${r.status} stderr=${r.stderr.slice(0, 600)}`;
  expect([100, 111, 126], msg).toContain(r.status);
  expect(r.stderr, msg).toMatch(/^[a-z0-9-]+: fatal: [^\n]*\n$/);
  expect(r.stderr, msg).not.toMatch(/internal error/);
}

const E2BIG = /Argument list too long/;

/** `foreground { ` n times, then inner, then ` }` n times. */
function nest(open: string, inner: string, depth: number): string {
  return open.repeat(depth) + inner + ' }'.repeat(depth);
}

/** What `echo {^n x }^n` prints: the innermost word quoted by n spaces, then each block end. */
function nestedEchoOutput(depth: number): string {
  const words = [' '.repeat(depth) + 'x'];
  for (let d = depth - 1; d >= 0; d--) words.push(' '.repeat(d));
  return words.join(' ') + '\n';
}

describe('a 1 MiB script', () => {
  it('of comments and blank lines, as the reference', async () => {
    const f = file(('# ' + 'c'.repeat(1000) + '\n\n').repeat(1040) + 'echo end\n');
    const [o, r] = [await runFile(f, false), await runFile(f, true)];
    sane(o, `execlineb -P ${f}`);
    expect({ out: o.stdout, err: o.stderr, st: o.status }).toEqual({ out: r.stdout, err: r.stderr, st: r.status });
    expect(o.stdout).toBe('end\n');
  });
  it('of one command with 100,000 words, as the reference', async () => {
    const words = Array.from({ length: 100000 }, (_, i) => `word${String(i).padStart(6, '0')}`);
    const f = file('echo ' + words.join(' ') + '\n');
    const [o, r] = [await runFile(f, false), await runFile(f, true)];
    sane(o, `execlineb -P ${f}`);
    expect(r.status).toBe(0);
    expect(o.status).toBe(0);
    expect(o.stdout === r.stdout, 'same output').toBe(true);
    expect(o.stdout.length).toBeGreaterThan(MiB);
  });
  it('of one command with every quoting form, as the reference', async () => {
    const words = '"a b\\tc\\x41\\101" \\\\ \'q\' "" x\\\n y #c\n';
    const f = file('echo ' + words.repeat(Math.ceil(MiB / words.length)) + '\n');
    const [o, r] = [await runFile(f, false), await runFile(f, true)];
    sane(o, `execlineb -P ${f}`);
    expect(r.status).toBe(0);
    expect({ err: o.stderr, st: o.status }).toEqual({ err: r.stderr, st: r.status });
    expect(o.stdout === r.stdout, 'same output').toBe(true);
  });
});

describe('100,000 arguments', () => {
  const args = Array.from({ length: 100000 }, (_, i) => `a${i}`);
  it('as positional parameters through $@, as the reference', async () => {
    const f = file('echo $@\n');
    const [o, r] = [await runFile(f, false, { flags: ['-S0'], args }), await runFile(f, true, { flags: ['-S0'], args })];
    sane(o, `execlineb -S0 ${f} a0 ... a99999`);
    expect({ out: o.stdout, err: o.stderr, st: o.status }).toEqual({ out: r.stdout, err: r.stderr, st: r.status });
    expect(o.stdout).toBe(args.join(' ') + '\n');
  });
  it('to one of our own commands (s6-echo, in-process)', async () => {
    const f = file('s6-echo -- $@\n');
    const o = await runFile(f, false, { flags: ['-S0'], args });
    sane(o, `execlineb -S0 ${f} a0 ... a99999`);
    expect(o.status).toBe(0);
    expect(o.stdout).toBe(args.join(' ') + '\n');
  });
  it('split out of one value by importas -s, into our own s6-echo (the reference dies of E2BIG)', async () => {
    const f = file('backtick -n A { seq 1 100000 }\nimportas -us W A\ns6-echo -- $W\n');
    const r = await runFile(f, true);
    expect(r.stderr).toMatch(E2BIG);
    const o = await runFile(f, false);
    sane(o, `execlineb -P ${f}`);
    expect(o.status).toBe(0);
    expect(o.stdout === Array.from({ length: 100000 }, (_, i) => i + 1).join(' ') + '\n', 'the 100,000 words').toBe(true);
  });
});

describe('blocks nested 10,000 deep', () => {
  it('foreground in foreground ... runs (the reference dies of E2BIG re-execing itself)', async () => {
    const f = file(nest('foreground { ', 'echo deep', 10000) + ' echo done\n');
    const r = await runFile(f, true);
    expect(r.stderr).toMatch(E2BIG);
    // Block quoting makes the argv grow as the square of the depth: this takes tens of seconds.
    const o = await runFile(f, false, { timeout: 150000 });
    sane(o, `execlineb -P ${f} (timed out after ${o.ms} ms?)`);
    expect({ status: o.status, stdout: o.stdout, stderr: o.stderr }).toEqual({ status: 0, stdout: 'deep\ndone\n', stderr: '' });
  }, 180000);
  it('foreground in foreground 500 deep, as the reference', async () => {
    const f = file(nest('foreground { ', 'echo deep', 500) + ' echo done\n');
    const [o, r] = [await runFile(f, false), await runFile(f, true)];
    sane(o, `execlineb -P ${f}`);
    expect({ out: o.stdout, err: o.stderr, st: o.status }).toEqual({ out: r.stdout, err: r.stderr, st: r.status });
  });
  it('if in if ... with our own commands inside runs', async () => {
    const f = file(nest('if { ', 's6-echo deep', 10000) + ' s6-echo done\n');
    const o = await runFile(f, false, { timeout: 150000 });
    sane(o, `execlineb -P ${f} (${o.ms} ms)`);
    expect({ status: o.status, stdout: o.stdout, stderr: o.stderr }).toEqual({ status: 0, stdout: 'deep\ndone\n', stderr: '' });
  }, 180000);
  it('a plain argument `echo { { ... x } }` 1,000 deep, as the reference', async () => {
    const f = file('echo ' + nest('{ ', 'x', 1000) + '\n');
    const [o, r] = [await runFile(f, false), await runFile(f, true)];
    sane(o, `execlineb -P ${f}`);
    expect({ out: o.stdout, err: o.stderr, st: o.status }).toEqual({ out: r.stdout, err: r.stderr, st: r.status });
    expect(r.stdout).toBe(nestedEchoOutput(1000));
  });
  it('a plain argument `echo { { ... x } }` 10,000 deep: E2BIG for an external program, as the reference', async () => {
    const f = file('echo ' + nest('{ ', 'x', 10000) + '\n');
    const [o, r] = [await runFile(f, false), await runFile(f, true)];
    sane(o, `execlineb -P ${f}`);
    expect(r.status).toBe(126);
    expect(r.stderr).toMatch(E2BIG);
    clearError(o, `execlineb -P ${f}`);
    expect(o.stderr).toMatch(E2BIG);
    expect(o.status).toBe(126);
  });
  it('a plain argument 10,000 deep to our own s6-echo (in-process) succeeds', async () => {
    const f = file('s6-echo -- ' + nest('{ ', 'x', 10000) + '\n');
    const o = await runFile(f, false, { timeout: 8000 });
    sane(o, `execlineb -P ${f}`);
    expect(o.status).toBe(0);
    expect(o.stdout === nestedEchoOutput(10000), 'output of the nested words').toBe(true);
  });
});

describe('a 1 MiB value', () => {
  const big = 'v'.repeat(MiB);
  it('through define into our own s6-echo succeeds (the reference dies of E2BIG re-execing itself)', async () => {
    const f = file(`define X ${big}\ns6-echo -n -- \${X}\n`);
    const r = await runFile(f, true);
    expect(r.stderr).toMatch(E2BIG);
    const o = await runFile(f, false);
    sane(o, `execlineb -P ${f}`);
    expect(o.status).toBe(0);
    expect(o.stdout === big, `stdout of ${o.stdout.length} bytes`).toBe(true);
  });
  it('through backtick, export and importas into s6-echo succeeds', async () => {
    const f = file(
      'backtick -E X { sh -c "head -c 1048576 /dev/zero | tr \'\\\\0\' v" }\nexport Y ${X}\nimportas -u Z Y\ns6-echo -n -- ${Z}\n',
    );
    const r = await runFile(f, true);
    expect(r.stderr).toMatch(E2BIG);
    const o = await runFile(f, false);
    sane(o, `execlineb -P ${f}`);
    expect(o.status).toBe(0);
    expect(o.stdout === big, `stdout of ${o.stdout.length} bytes, stderr ${o.stderr}`).toBe(true);
  });
  it('split by importas -s into 1,000 words of our own command', async () => {
    const pad = 'w'.repeat(1044);
    const f = file(`backtick -n W { seq -f %04.0f${pad} 0 999 }\nimportas -us V W\ns6-echo -n -- $V\n`);
    const o = await runFile(f, false);
    sane(o, `execlineb -P ${f}`);
    expect(o.status).toBe(0);
    const words = Array.from({ length: 1000 }, (_, i) => String(i).padStart(4, '0') + pad).join(' ');
    expect(o.stdout.length).toBeGreaterThan(MiB);
    expect(o.stdout === words).toBe(true);
  });
  it('as an argument of an external program: a clear E2BIG, as the reference', async () => {
    const f = file(`define X ${big}\necho \${X}\n`);
    const [o, r] = [await runFile(f, false), await runFile(f, true)];
    sane(o, `execlineb -P ${f}`);
    expect(r.status).toBe(126);
    clearError(o, `execlineb -P ${f}`);
    expect(o.stderr).toMatch(E2BIG);
    expect(o.status).toBe(126);
  });
  it('into the environment of an external program: a clear E2BIG', async () => {
    const f = file(`define X ${big}\nexport Y \${X}\nenv\n`);
    const o = await runFile(f, false);
    sane(o, `execlineb -P ${f}`);
    clearError(o, `execlineb -P ${f}`);
    expect(o.stderr).toMatch(E2BIG);
  });
  it('as an argument of an external program in a foreground block: a warning, then the script goes on', async () => {
    const f = file(`define X ${big}\nforeground { echo \${X} }\nimportas -u ? ?\ns6-echo status $?\n`);
    const o = await runFile(f, false);
    sane(o, `execlineb -P ${f}`);
    expect(o.stderr).toBe('foreground: warning: unable to spawn echo: Argument list too long\n');
    // The reference's foreground gives 127 for any child it could not spawn.
    expect(o.stdout).toBe('status 127\n');
  });
  it('in a pipeline block run by our own command: success or a clear E2BIG', async () => {
    const f = file(`define X ${big}\npipeline { s6-echo -n -- \${X} } wc -c\n`);
    const o = await runFile(f, false);
    sane(o, `execlineb -P ${f}`);
    if (o.status === 0) expect(o.stdout.trim()).toBe(String(MiB));
    else {
      clearError(o, `execlineb -P ${f}`);
      expect(o.stderr).toMatch(E2BIG);
    }
  });
  for (const [what, script] of [
    ['a trap-supervised program', 'trap { SIGTERM { s6-echo term } } s6-echo -n -- ${X}'],
    ['a forx -p loop body', 'forx -p x { 1 2 } s6-echo -n -- ${X}'],
  ]) {
    it(`run by our own command as ${what}: success or a clear E2BIG`, async () => {
      const f = file(`define X ${'v'.repeat(200000)}\n${script}\n`);
      const o = await runFile(f, false);
      sane(o, `execlineb -P ${f}`);
      if (o.status !== 0) {
        clearError(o, `execlineb -P ${f}`);
        expect(o.stderr).toMatch(E2BIG);
      }
    });
  }
  it('in a background block run by our own command: success or a clear E2BIG', async () => {
    const f = file(`define X ${big}\nforeground { background { s6-echo -n -- \${X} } wait { } }\nimportas -u ? ?\ns6-echo status $?\n`);
    const o = await runFile(f, false);
    sane(o, `execlineb -P ${f}`);
    expect(o.stderr, o.stderr).toMatch(/^$|^[a-z0-9-]+: fatal: [^\n]*Argument list too long\n$/);
    expect(o.stderr).not.toMatch(/internal error/);
  });
});

// Big inputs: a 1 MiB script, blocks nested 10,000 deep, 100,000 arguments, 1 MiB values. Ours
// gives the reference's result, including its E2BIG where the reference execs into one of its
// own commands (ours run in-process, but a script tested here must not break under C execline);
// never a JavaScript stack overflow, a crash (signal, abort) or a stack trace.
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

/** Runs a script file under both: ours must give the reference's status, stdout and stderr. */
async function asReference(f: string, timeout?: number): Promise<Run> {
  const [o, r] = [await runFile(f, false, timeout ? { timeout } : {}), await runFile(f, true, timeout ? { timeout } : {})];
  sane(o, `execlineb -P ${f}`);
  // backtick -E execs importas by the reference's absolute path; ours names it plainly.
  const refErr = r.stderr.replaceAll('/usr/lib/execline/bin/', '');
  expect({ status: o.status, stdout: o.stdout, stderr: o.stderr }).toEqual({ status: r.status, stdout: r.stdout, stderr: refErr });
  return r;
}

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
  it('split out of one value by importas -s into 100,000 words: E2BIG at the exec, as the reference', async () => {
    const r = await asReference(file('backtick -n A { seq 1 100000 }\nimportas -us W A\necho -- $W\n'));
    expect(r.stderr).toMatch(E2BIG);
  });
});

describe('blocks nested 10,000 deep', () => {
  it('foreground in foreground 10,000 deep: E2BIG at the first exec, as the reference', async () => {
    const r = await asReference(file(nest('foreground { ', 'echo deep', 10000) + ' echo done\n'));
    expect(r.stderr).toMatch(E2BIG);
  });
  it('foreground in foreground 500 deep, as the reference', async () => {
    const f = file(nest('foreground { ', 'echo deep', 500) + ' echo done\n');
    const [o, r] = [await runFile(f, false), await runFile(f, true)];
    sane(o, `execlineb -P ${f}`);
    expect({ out: o.stdout, err: o.stderr, st: o.status }).toEqual({ out: r.stdout, err: r.stderr, st: r.status });
  });
  it('if in if 10,000 deep: E2BIG at the first exec, as the reference', async () => {
    const r = await asReference(file(nest('if { ', 'true', 10000) + ' echo done\n'));
    expect(r.stderr).toMatch(E2BIG);
  });
  it('foreground in foreground 1,400 deep (past the depth of in-process blocks), as the reference', async () => {
    const r = await asReference(file(nest('foreground { ', 'echo deep', 1400) + ' echo done\n'));
    expect(r.stdout).toBe('deep\ndone\n');
  });
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
});

describe('a 1 MiB value', () => {
  const big = 'v'.repeat(MiB);
  it('through define into the next command: E2BIG at its exec, as the reference', async () => {
    const r = await asReference(file(`define X ${big}\nimportas -D d Y Y\necho \${X}\n`));
    expect(r.stderr).toMatch(E2BIG);
  });
  it('through backtick, export and importas: E2BIG where the reference has it', async () => {
    const r = await asReference(
      file('backtick -E X { sh -c "head -c 1048576 /dev/zero | tr \'\\\\0\' v" }\nexport Y ${X}\nimportas -u Z Y\necho -n -- ${Z}\n'),
    );
    expect(r.stderr).toMatch(E2BIG);
  });
  it('split by importas -s into 1,000 words, as the reference', async () => {
    const pad = 'w'.repeat(1044);
    await asReference(file(`backtick -n W { seq -f %04.0f${pad} 0 999 }\nimportas -us V W\necho -n -- $V\n`));
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
  it('as an argument of an external program in a foreground block, as the reference', async () => {
    const r = await asReference(file(`define X ${big}\nforeground { echo \${X} }\nimportas -u ? ?\necho status $?\n`));
    expect(r.stderr).toMatch(E2BIG);
  });
  it('in a pipeline block, as the reference', async () => {
    const r = await asReference(file(`define X ${big}\npipeline { if { true } echo -n -- \${X} } wc -c\n`));
    expect(r.stderr).toMatch(E2BIG);
  });
  for (const [what, script] of [
    ['a trap-supervised program', 'trap { SIGTERM { echo term } } echo -n -- ${X}'],
    ['a forx -p loop body', 'forx -p x { 1 2 } echo -n -- ${X}'],
  ]) {
    it(`of 200,000 bytes given to ${what}, as the reference`, async () => {
      await asReference(file(`define X ${'v'.repeat(200000)}\n${script}\n`));
    });
  }
  it('in a background block run by our own command, as the reference', async () => {
    await asReference(file(`define X ${big}\nforeground { background { if { true } echo -n -- \${X} } wait { } }\nimportas -u ? ?\necho status $?\n`));
  });
});

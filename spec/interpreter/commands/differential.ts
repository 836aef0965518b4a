// For the command specs: run the same script (or the same direct command line) under ours and
// under the reference execline, and expect the same stdout, exit code and stderr.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { BIN, REF_BIN, hasStackTrace, spawnAsync } from '../../helpers.js';

/** A directory of test programs: myprog (a script), noexec (not executable), badfmt (no format). */
export function fixtures(): string {
  const dir = mkdtempSync(join(tmpdir(), 'el-spec-'));
  writeFileSync(join(dir, 'myprog'), '#!/bin/sh\necho "myprog:$#:$*:${A-unset}"\n');
  chmodSync(join(dir, 'myprog'), 0o755);
  writeFileSync(join(dir, 'noexec'), 'echo no\n');
  chmodSync(join(dir, 'noexec'), 0o644);
  writeFileSync(join(dir, 'badfmt'), 'garbage\n');
  chmodSync(join(dir, 'badfmt'), 0o755);
  return dir;
}

export interface Opts {
  /** execlineb flags before -c (default: none, so args become positional parameters). */
  flags?: string[];
  args?: string[];
  /** Extra environment for both sides. */
  env?: Record<string, string>;
  /** A directory put on PATH after the toolset's own. */
  extraPath?: string;
  cwd?: string;
  /** Compare stderr too (default true). */
  stderr?: boolean;
}

interface Result {
  stdout: string;
  stderr: string;
  status: number | null;
}

function sidePath(base: string, o: Opts): string {
  return [base, ...(o.extraPath ? [o.extraPath] : []), '/usr/bin', '/bin'].join(':');
}

function result(r: { stdout: string | null; stderr: string | null; status: number | null; signal: NodeJS.Signals | null; error?: Error }): Result {
  // Exit code as a shell reports it: a signal is 128 + its number.
  const status = r.status ?? (r.signal ? 128 + ({ SIGSEGV: 11, SIGTERM: 15, SIGKILL: 9 } as Record<string, number>)[r.signal] : null);
  const err = (r.stderr ?? '') + (r.error ? `[spawn error: ${r.error.message}]` : '');
  return { stdout: r.stdout ?? '', stderr: err.split(REF_BIN).join('@BIN').split(BIN).join('@BIN'), status };
}

function run(exe: string, argv: string[], base: string, o: Opts): Result {
  return result(spawnSync(exe, argv, { env: { PATH: sidePath(base, o), ...(o.env ?? {}) }, encoding: 'latin1', timeout: 20000, cwd: o.cwd ?? tmpdir() }));
}

/** run, without blocking the test worker (see spawnAsync in spec/helpers.ts). */
async function runAsync(exe: string, argv: string[], base: string, o: Opts): Promise<Result> {
  return result(await spawnAsync(exe, argv, { env: { PATH: sidePath(base, o), ...(o.env ?? {}) }, timeout: 20000, cwd: o.cwd ?? tmpdir() }));
}

function compare(ours: Result, ref: Result, o: Opts): Result {
  expect(hasStackTrace(ours.stderr)).toBe(false);
  const pick = (r: Result) => (o.stderr === false ? { stdout: r.stdout, status: r.status } : r);
  expect(pick(ours)).toEqual(pick(ref));
  return ours;
}

/** Runs `execlineb [flags] -c script args` under both and expects the same results. */
export function same(script: string, o: Opts = {}): Result {
  const argv = [...(o.flags ?? []), '-c', script, ...(o.args ?? [])];
  return compare(run(join(BIN, 'execlineb'), argv, BIN, o), run(join(REF_BIN, 'execlineb'), argv, REF_BIN, o), o);
}

/** same, without blocking the test worker: for scripts that run for a second or more. */
export async function sameAsync(script: string, o: Opts = {}): Promise<Result> {
  const argv = [...(o.flags ?? []), '-c', script, ...(o.args ?? [])];
  const ours = await runAsync(join(BIN, 'execlineb'), argv, BIN, o);
  const ref = await runAsync(join(REF_BIN, 'execlineb'), argv, REF_BIN, o);
  return compare(ours, ref, o);
}

/** Runs one command directly (no script) under both and expects the same results. */
export function sameDirect(cmd: string, args: string[], o: Opts = {}): Result {
  return compare(run(join(BIN, cmd), args, BIN, o), run(join(REF_BIN, cmd), args, REF_BIN, o), o);
}

/** Runs a program (e.g. env, sh) with the command as an argument, under both PATHs. */
export function sameVia(exe: string, args: string[], o: Opts = {}): Result {
  return compare(run(exe, args, BIN, o), run(exe, args, REF_BIN, o), o);
}

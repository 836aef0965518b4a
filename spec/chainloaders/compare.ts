// Side-by-side runs for the chain-loader specs: the same command line (called directly, as from
// sh, or as an execlineb script) under ours and under the reference, normalized for what differs
// by nature (PIDs, the PATH that points at each toolset).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, REF_BIN, runScript, type Run } from '../helpers.js';

export interface Opts {
  env?: Record<string, string>;
  input?: string;
  cwd?: string;
}

/** The reference binary for a program: execline's or s6's. */
export function refProgram(prog: string): string {
  const e = join(REF_BIN, prog);
  return existsSync(e) ? e : join('/usr/bin', prog);
}

/** Runs `prog args...` directly (not through execlineb). Both sides get the same PATH. */
export function direct(prog: string, args: string[], ref: boolean, o: Opts = {}): Run {
  const exe = ref ? refProgram(prog) : join(BIN, prog);
  const r = spawnSync(exe, args, {
    env: { PATH: '/usr/bin:/bin', ...(o.env ?? {}) },
    input: o.input ?? '',
    encoding: 'latin1',
    timeout: 20000,
    cwd: o.cwd ?? '/tmp',
  });
  return { stdout: r.stdout ?? '', stderr: r.stderr ?? '', status: r.status, signal: r.signal, pid: r.pid ?? 0 };
}

/** What may differ between two runs of the same thing: PIDs and the toolset's own paths. */
export function normalize(s: string): string {
  return s
    .replace(/\/proc\/\d+\//g, '/proc/PID/')
    .replace(/^PATH=.*$/gm, 'PATH=...')
    .replaceAll(BIN, 'BIN')
    .replaceAll(REF_BIN, 'BIN');
}

export interface Pair {
  ours: Run;
  ref: Run;
}

function pair(ours: Run, ref: Run): Pair {
  for (const r of [ours, ref]) {
    r.stdout = normalize(r.stdout);
    r.stderr = normalize(r.stderr);
  }
  return { ours, ref };
}

/** The same direct command under both. */
export function directBoth(prog: string, args: string[], o: Opts = {}): Pair {
  return pair(direct(prog, args, false, o), direct(prog, args, true, o));
}

/** The same execlineb script under both. */
export function scriptBoth(script: string, o: Opts & { flags?: string[] } = {}): Pair {
  return pair(runScript(script, { ...o, ref: false }), runScript(script, { ...o, ref: true }));
}

/** The observable result, for toEqual. */
export function outcome(r: Run): { stdout: string; stderr: string; status: number | null } {
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** Prints Uid, Gid, Groups of the program and its open fds and limits. */
export const PROC_VIEW = 'grep -E ^(Uid|Gid|Groups) /proc/self/status';

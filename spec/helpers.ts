// Shared by the spec tests: where things are, and how to run a script under ours or the reference.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..');
export const BIN = join(ROOT, 'bin');
export const REF_BIN = '/usr/lib/execline/bin';
/** The project's own Node (24), whatever Node runs the tests. */
export const NODE = join(ROOT, 'node_modules/node/bin/node');
export const OURS_PATH = `${BIN}:/usr/bin:/bin`;
export const REF_PATH = `${REF_BIN}:/usr/bin:/bin`;

export interface Run {
  stdout: string;
  stderr: string;
  status: number | null;
  signal: NodeJS.Signals | null;
  pid: number;
}

/** Runs `execlineb [flags] -c script args` under ours (or the reference with ref = true). */
export function runScript(script: string, opts: { flags?: string[]; args?: string[]; ref?: boolean; env?: Record<string, string>; input?: string } & SpawnSyncOptions = {}): Run {
  const ref = opts.ref ?? false;
  const exe = ref ? join(REF_BIN, 'execlineb') : join(BIN, 'execlineb');
  const env = { PATH: ref ? REF_PATH : OURS_PATH, ...(opts.env ?? {}) };
  const r = spawnSync(exe, [...(opts.flags ?? ['-P']), '-c', script, ...(opts.args ?? [])], {
    env,
    input: opts.input,
    encoding: 'latin1',
    timeout: 20000,
    cwd: opts.cwd,
  });
  return { stdout: r.stdout ?? '', stderr: r.stderr ?? '', status: r.status, signal: r.signal, pid: r.pid ?? 0 };
}

/** Runs the same script under both and returns [ours, reference]. */
export function both(script: string, opts: Parameters<typeof runScript>[1] = {}): [Run, Run] {
  return [runScript(script, { ...opts, ref: false }), runScript(script, { ...opts, ref: true })];
}

/** True if a stderr holds a JavaScript stack trace or Node internals. */
export function hasStackTrace(stderr: string): boolean {
  return /^\s+at .*:\d+:\d+\)?$/m.test(stderr) || stderr.includes('node:internal');
}

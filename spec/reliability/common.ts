// Shared by the reliability specs: running a script file under ours or the reference (to
// completion, or as a supervised child), and the stack-trace check every run must pass. Runs
// never block the test worker (see spawnAsync): some take tens of seconds.
import { spawn, type StdioOptions } from 'node:child_process';
import { join } from 'node:path';
import { BIN, REF_BIN, OURS_PATH, REF_PATH, hasStackTrace, spawnAsync, type PrivateRun, type Run } from '../helpers.js';

export { hasStackTrace };

/** The execlineb of one side. */
export function execlineb(ref: boolean): string {
  return join(ref ? REF_BIN : BIN, 'execlineb');
}

/** The PATH of one side: its toolset first, then the system (where the s6 reference lives). */
export function sidePath(ref: boolean): string {
  return ref ? REF_PATH : OURS_PATH;
}

/** Runs `execlineb [flags] file args...` to completion. */
export async function runFile(
  file: string,
  ref: boolean,
  o: { flags?: string[]; args?: string[]; env?: Record<string, string>; input?: string; timeout?: number; stdio?: StdioOptions; cwd?: string } = {},
): Promise<Run & { ms: number }> {
  const t0 = Date.now();
  const r = await spawnAsync(execlineb(ref), [...(o.flags ?? ['-P']), file, ...(o.args ?? [])], {
    env: { PATH: sidePath(ref), ...(o.env ?? {}) },
    input: o.input ?? '',
    timeout: o.timeout ?? 20000,
    maxBuffer: 256 * 1024 * 1024,
    stdio: o.stdio,
    cwd: o.cwd ?? '/tmp',
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status, signal: r.signal, pid: r.pid, ms: Date.now() - t0 };
}

/** The result of a supervised run: what the program printed, how it ended, the PID we started. */
export interface Supervised {
  pid: number;
  readyPid: number;
  stdout: string;
  stderr: string;
  status: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * Starts `execlineb -P file` as a supervisor would (inside `box`'s private /run if given: the
 * PID stays the same), waits until the program prints "ready PID", sends sig to the PID it
 * started, and waits for the end.
 */
export function supervise(file: string, ref: boolean, sig: NodeJS.Signals, env: Record<string, string> = {}, box?: PrivateRun): Promise<Supervised> {
  const [exe, args] = box ? box.wrap(execlineb(ref), ['-P', file]) : [execlineb(ref), ['-P', file]];
  return new Promise((resolve, reject) => {
    const cp = spawn(exe, args, {
      env: { PATH: sidePath(ref), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: '/tmp',
    });
    let stdout = '';
    let stderr = '';
    let readyPid = 0;
    let sent = false;
    const timer = setTimeout(() => {
      cp.kill('SIGKILL');
      reject(new Error(`no end within 10 s; stdout=${JSON.stringify(stdout)} stderr=${JSON.stringify(stderr)}`));
    }, 10000);
    cp.stdout!.setEncoding('latin1');
    cp.stderr!.setEncoding('latin1');
    cp.stdout!.on('data', (d: string) => {
      stdout += d;
      const m = /^ready (\d+)$/m.exec(stdout);
      if (m && !sent) {
        sent = true;
        readyPid = Number(m[1]);
        process.kill(cp.pid!, sig);
      }
    });
    cp.stderr!.on('data', (d: string) => (stderr += d));
    cp.on('error', reject);
    cp.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ pid: cp.pid ?? 0, readyPid, stdout, stderr, status, signal });
    });
  });
}

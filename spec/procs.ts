// Shared by the tests that run whole supervision trees (spec/reliability/supervision.test.ts,
// spec/package/examples.test.ts): short programs run without blocking the worker, polling with a
// bound, and what /proc says about a process (its argv, parent, children, credentials).
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** What a short program did: its exit code (null after a spawn error or a timeout) and output. */
export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a short program asynchronously (never blocks the worker), ended after `timeout` ms. */
export function run(cmd: string, args: string[], env: Record<string, string>, timeout: number): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env, timeout, encoding: 'latin1', cwd: '/' }, (err, stdout, stderr) => {
      // a non-zero exit gives a numeric code; a spawn error or a timeout, none
      const c = (err as { code?: unknown } | null)?.code;
      const code = !err ? 0 : typeof c === 'number' ? c : null;
      resolve({ code, stdout: String(stdout ?? ''), stderr: String(stderr ?? '') + (err && code === null ? ` (${err.message})` : '') });
    });
  });
}

export const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls probe every `every` ms until ok(value) or `ms` have passed; returns the last value and whether it was reached. */
export async function waitFor<T>(probe: () => T | Promise<T>, ok: (v: T) => boolean, ms: number, every = 20): Promise<{ ok: boolean; value: T }> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (ok(value)) return { ok: true, value };
    if (Date.now() > end) return { ok: false, value };
    await pause(every);
  }
}

/** A file's bytes as latin1 text, or null if it cannot be read. */
export function readText(file: string): string | null {
  try {
    return readFileSync(file, 'latin1');
  } catch {
    return null;
  }
}

/** A NUL-separated /proc file (cmdline, environ) as a list. */
export function procList(pid: number, what: 'cmdline' | 'environ'): string[] | null {
  const t = readText(`/proc/${pid}/${what}`);
  if (t === null) return null;
  const parts = t.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

export const cmdline = (pid: number) => procList(pid, 'cmdline');

/** ppid and start time (field 22: tells a PID from a reused one) from /proc/PID/stat. */
export function stat(pid: number): { ppid: number; start: string } | null {
  const t = readText(`/proc/${pid}/stat`);
  if (t === null) return null;
  const f = t.slice(t.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(f[1]), start: f[19] };
}

export function allPids(): number[] {
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .map(Number);
}

/** The children of pid, sorted. */
export function childrenOf(pid: number, pids = allPids()): number[] {
  return pids.filter((p) => stat(p)?.ppid === pid).sort((a, b) => a - b);
}

/** Every process below pid (each /proc/PID/stat read once). */
export function descendantsOf(pid: number): number[] {
  const pids = allPids().map((p) => [p, stat(p)?.ppid ?? -1] as const);
  const out: number[] = [];
  const todo = [pid];
  while (todo.length) {
    const parent = todo.pop()!;
    const kids = pids.filter(([, pp]) => pp === parent).map(([p]) => p);
    out.push(...kids);
    todo.push(...kids);
  }
  return out;
}

/** A Node process, or one whose command line runs our bundle or names `marker` (a launcher dir). */
export function isNodeProcess(pid: number, marker = ''): boolean {
  let exe = '';
  try {
    exe = readlinkSync(`/proc/${pid}/exe`);
  } catch {
    /* gone, or a kernel thread */
  }
  const cl = (cmdline(pid) ?? []).join(' ');
  return /(^|\/)node( \(deleted\))?$/.test(exe) || cl.includes('execline.cjs') || (marker !== '' && cl.includes(marker));
}

/** Uid, Gid and Groups lines of /proc/PID/status. */
export function creds(pid: number): Record<string, string> | null {
  const t = readText(`/proc/${pid}/status`);
  if (t === null) return null;
  const res: Record<string, string> = {};
  for (const l of t.split('\n')) {
    const m = /^(Uid|Gid|Groups):\s*(.*)$/.exec(l);
    if (m) res[m[1]] = m[2].trim().split(/\s+/).join(' ');
  }
  return res;
}

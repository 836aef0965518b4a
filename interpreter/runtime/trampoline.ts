// The trampoline: argv[0] names one of our commands -> run it in-process on the state and go on
// with the argv it returns; anything else is the first external program, which is materialized
// in place (main) or as a child (blocks). Blocks made of our commands run as virtual children:
// in-process on a copy of the state, until they reach an external program, which is spawned.
import { accessSync, closeSync, constants as fsc, openSync, readSync, statSync } from 'node:fs';
import { toBuffer } from '../language/bytes.js';
import { Die, EXIT_NOEXEC, EXIT_SYS, Exit, Killed, errcode, fatalDie, report, setStderrFd, strerror, sysDie } from '../command/errors.js';
import { execCode, execInPlace, execWouldE2BIG, isSelf, refuseE2BIG, selfArgv, spawnNoWait, spawnProgram, type ChildStatus } from './exec.js';
import { waitFor, type Child } from './children.js';
import { forkState, realFd, realProcess, type State } from './state.js';
import { loadCommand, lookupName, type CommandEntry } from '../command/registry.js';
import { LAUNCHER_MARK, getSelfPath, setSelfPath } from './self.js';
import { ProcessContext, type Trampoline } from './context.js';
import type { Context } from '../command/context.js';
import { enterChild, leaveChild, markPrinted, traceLevel, traceStep } from './trace.js';
import * as sys from '../platform/index.js';

/** What each path read as: the file's identity then, and the command its launcher runs (or null). */
const launcherCache = new Map<string, { id: string; name: string | null }>();

/**
 * Reads the command name out of a launcher file, or null if the file is not one of ours or this
 * process could not exec it (the kernel would refuse it: not a regular file, no search or execute
 * permission, as after a privilege drop). A path is read again when what it names has changed
 * (another file, a file rewritten, a symlink moved), as the reference's exec at each step finds it.
 */
function launcherCommand(path: string): string | null {
  const file = toBuffer(path);
  let id: string;
  try {
    const st = statSync(file);
    if (!st.isFile()) return null;
    accessSync(file, fsc.X_OK);
    id = `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
  } catch {
    return null;
  }
  const hit = launcherCache.get(path);
  if (hit !== undefined && hit.id === id) return hit.name;
  let name: string | null = null;
  try {
    const fd = openSync(file, 'r');
    try {
      // The launcher is a small binary; its config block (with the marker) is in its data.
      const b = Buffer.allocUnsafe(65536); // (only the n bytes read are looked at)
      const n = readSync(fd, b, 0, b.length, 0);
      const at = b.subarray(0, n).indexOf(LAUNCHER_MARK);
      if (at >= 0) {
        // The config block (launcher.c): the command this copy was installed as, then where
        // Node and the bundle are.
        const parts = b
          .subarray(at + LAUNCHER_MARK.length, Math.min(n, at + 4096))
          .toString('latin1')
          .split('\0');
        name = parts[0] || path.slice(path.lastIndexOf('/') + 1);
      }
    } finally {
      closeSync(fd);
    }
  } catch {
    name = null;
  }
  launcherCache.set(path, { id, name });
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

/** More than libuv's room for a process title, which is Node's original command line (PATH_MAX at most). */
const TITLE_ROOM = 4096;

/** s with every byte outside printable ASCII as '?' (a regular expression only when one is there: compiling it costs a start 0.1 ms). */
function printable(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return s.replace(/[^\x20-\x7e]/g, '?');
  }
  return s;
}

/**
 * Makes this process look like the command it runs, as the reference's process does after each
 * exec: /proc/PID/comm (ps, pgrep, top) is the command's name, the command line (ps -f, docker
 * top) its argv, as far as the room Node's own command line left allows. Only a real process: a
 * virtual child is part of its parent, which keeps the parent's name.
 */
function nameProcess(argv: string[]): void {
  try {
    const name = argv[0].slice(argv[0].lastIndexOf('/') + 1);
    // The room is the length of Node's own command line (a few hundred bytes): words past
    // TITLE_ROOM could never show, and joining the whole rest of a long script at every step
    // made a 1000-step chain spend most of its time here.
    let title = argv[0];
    for (let i = 1; i < argv.length && title.length < TITLE_ROOM; i++) title += ` ${argv[i]}`;
    // (libuv's title setter names the thread too: the name comes second.)
    process.title = printable(title.slice(0, TITLE_ROOM));
    sys.setThreadName(toBuffer(name).subarray(0, 15).toString('latin1'));
  } catch {
    /* cosmetic: never fatal */
  }
}

/**
 * Runs our commands on the state until argv names an external program; returns that argv.
 * `first`: the command of the first step when it is known already, and the exec into it made or
 * checked (the one a launcher started: its argv[0] may be any path, or a file that is not a
 * launcher at all, as a C binary's may; a virtual child's, which runChild looked up).
 */
export async function chain(st: State, argv: string[], first?: CommandEntry): Promise<string[]> {
  for (;;) {
    if (argv.length === 0) throw sysDie(st.prog, EXIT_SYS, 'exec: empty command line');
    const entry = first ?? lookup(argv[0]);
    // The reference execs into each of its commands: one whose argv and environment no longer
    // fit fails there, as the previous command's "unable to exec". (Not the step a launcher
    // started: the kernel has taken that exec already.)
    if (entry && first === undefined && execWouldE2BIG(st, argv, st.searchPath)) throw sysDie(st.prog, EXIT_NOEXEC, `exec ${argv[0]}`, 'E2BIG');
    first = undefined;
    if (!entry) return argv;
    // Credentials a virtual child took on (s6-applyuidgid) are only applied when a process is
    // made from it: more of our commands must run as the new user too (their file accesses), so
    // the rest becomes a real process (a Node child) with the credentials applied.
    // (A path is judged again there, as the new user: it may not reach the file.)
    if (st.virtual && st.creds !== null) return selfArgv(argv, entry.names[0], argv[0].includes('/') ? st.prog : undefined);
    const cmd = await loadCommand(entry);
    // EXECLINE_TRACE=1 (trace.ts): the step, before it runs, as the name that was looked up.
    traceStep(st, argv, traceLevel());
    const traced = argv;
    // `exec -a NAME` (or -l) into one of our commands: the command is found by its path, and
    // then sees NAME as its argv[0], as the reference's execve gives it (execlineb's $0).
    if (st.argv0 !== null) argv = [st.argv0, ...argv.slice(1)];
    if (!st.virtual && realProcess()) nameProcess(argv);
    st.prog = cmd.prog;
    st.argv0 = null;
    // The next program is found with the PATH this command started with (see State.searchPath).
    st.searchPath = st.env.get('PATH');
    setStderrFd(realFd(st, 2)); // messages go where this (virtual) process's fd 2 is
    argv = await cmd.run(contextOf(st, entry.names[0]), argv);
    setStderrFd(realFd(st, 2));
    // A command that must run again in a process of its own (getpid, s6-setsid in a block) was
    // printed already: the Node child that runs it must not print it twice.
    if (isSelf(argv) && argv.length === traced.length + 1 && traced.every((w, i) => i === 0 || w === argv[i + 1])) markPrinted(argv);
  }
}

/** Runs this process's whole chain and execs into the final program. Never returns. */
export async function runMain(st: State, argv: string[], first?: CommandEntry): Promise<never> {
  const ext = await chain(st, argv, first);
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

  const entry = lookup(argv[0]);
  if (!entry) {
    // el_spawn0: the parent forks and the child execs; an exec failure is the parent's
    // "unable to spawn", with the kernel's errno.
    try {
      return waitFor(spawnProgram(parent, argv, true));
    } catch (e) {
      return { spawnError: errcode(e) ?? 'EIO' };
    }
  }
  // A virtual child stands for a process the reference spawns with this argv: one the kernel
  // would refuse (E2BIG) fails in the parent, "unable to spawn", as there.
  try {
    refuseE2BIG(parent, argv);
  } catch (e) {
    return { spawnError: errcode(e) ?? 'E2BIG' };
  }
  // Virtual children nest on the JavaScript stack (a block inside a block inside a block...). Past
  // a depth the stack could not take, the block runs in a real Node child, whose stack is fresh:
  // 10,000 nested blocks then cost some 20 processes instead of a stack overflow.
  if (virtualDepth >= MAX_VIRTUAL_DEPTH) {
    try {
      return waitFor(spawnProgram(parent, selfArgv(argv, entry.names[0])));
    } catch (e) {
      return { spawnError: errcode(e) ?? 'EIO' };
    }
  }
  const child = forkState(parent);
  const cwd = process.cwd();
  const mask = process.umask();
  const oldErr = setStderrFd(realFd(child, 2));
  virtualDepth++;
  enterChild();
  try {
    const ext = await chain(child, argv, entry); // (looked up, and its size checked, above)
    // Here the reference's child execs: a failure is the child's own "unable to exec" (126, 127).
    let pid: number;
    try {
      pid = spawnProgram(child, ext, false, traceLevel()); // (the child's program: the child's level)
    } catch (e) {
      const name = isSelf(ext) ? ext[1] : ext[0];
      const x = e as { code?: string; stage?: string };
      if (x.stage && x.stage !== 'exec') {
        report(sysDie(child.prog, 0, x.stage, e));
        return { code: 111, signal: 0 };
      }
      report(sysDie(child.prog, 0, `exec ${name}`, e));
      return { code: execCode(x.code ?? 'EIO'), signal: 0 };
    }
    // After an exec the program would be the only holder of the fds this child opened (piperw,
    // pipeline, heredoc, redirfd...): let them go before waiting, so a pipe it reads ends.
    for (const fd of child.opened.splice(0)) {
      try {
        closeSync(fd);
      } catch {
        /* already gone */
      }
    }
    return waitFor(pid);
  } catch (e) {
    if (e instanceof Exit) return { code: e.code & 255, signal: 0 };
    if (e instanceof Killed) return { code: 128 + e.signal, signal: e.signal };
    if (e instanceof Die) {
      report(e);
      return { code: e.code, signal: 0 };
    }
    report(fatalDie(child.prog, EXIT_SYS, strerror(e)));
    return { code: 111, signal: 0 };
  } finally {
    virtualDepth--;
    leaveChild();
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

export { setSelfPath, getSelfPath, selfArgv };

/**
 * Starts argv as a real child without waiting (background and friends). Our own commands there
 * run in a new Node process, since the parent goes on at once.
 */
export function startChild(parent: State, argv: string[]): { pid: number; child: Child } | { spawnError: string } {
  if (argv.length === 0) return { spawnError: 'ENOENT' };
  try {
    const ours = lookup(argv[0]);
    const cp = spawnNoWait(parent, ours ? selfArgv(argv, ours.names[0]) : argv, !ours);
    return { pid: cp.pid, child: cp };
  } catch (e) {
    return { spawnError: errcode(e) ?? 'EAGAIN' };
  }
}

/** The trampoline as the context of a command reaches it. */
const TRAMPOLINE: Trampoline = { lookup, runChild, startChild };

/**
 * The Context (interpreter/command/context.ts) a command gets for a state: for in-process
 * harnesses and tests too. `command`: the running command's first name, which a Node child
 * started for it (realProcess) is told to run.
 */
export function contextOf(st: State, command: string | null = null): Context {
  return new ProcessContext(st, TRAMPOLINE, command);
}

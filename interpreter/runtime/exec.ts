// The two materializations of a State: in place (apply it to this process, then execve, so the
// PID stays and no interpreter remains) and as a child (spawn with the state, wait as the caller
// requires). Both go through the platform layer (interpreter/platform), which applies the exact fd
// table, signal dispositions, credentials and resource limits between fork and exec, searches
// PATH as skalibs' exec_ae does, and returns the kernel's errno instead of aborting. A block that
// must be a process of its own while it still runs our commands becomes a Node child started
// the same way, with the state handed over in a memfd (interpreter/runtime/handover.ts).
import { saveCodeCache } from './lazy.js';
import { accessSync, closeSync, constants as fsc, existsSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { toBuffer } from '../language/bytes.js';
import { type Die, EXIT_NOEXEC, EXIT_SYS, execDie, fatalExec, fatalSys, sysDie, warnSys } from '../command/errors.js';
import { getSelfPath } from './self.js';
import { fdTable, type SessionStep, type State } from './state.js';
import { encodeHandover } from './handover.js';
import * as sys from '../platform/index.js';
import { type Child, watch, waitFor, type ChildStatus } from './children.js';
import { traceArgs, traceLevel, traceStep, wasPrinted } from './trace.js';

export type { ChildStatus };

/** Where a program is looked for when PATH is unset (skalibs' default). */
export const DEFAULT_PATH = '/usr/bin:/bin';

export type Resolved = { path: string } | { code: string };

/** What execve(2) would say of the file p before its format: null if it is a regular file this process may execute, else the errno name. */
function checkFile(p: string | Buffer): string | null {
  const b = typeof p === 'string' ? toBuffer(p) : p;
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(b);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? 'ENOENT';
  }
  if (!st.isFile()) return 'EACCES';
  try {
    accessSync(b, fsc.X_OK);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? 'EACCES';
  }
  return null;
}

/** Finds a program as execvp(3) does: a name with a slash is used as is, else PATH is searched. */
export function resolveProgram(name: string, env: Map<string, string>): Resolved {
  if (name.includes('/')) {
    const err = checkFile(name);
    return err ? { code: err } : { path: name };
  }
  const path = env.get('PATH') ?? DEFAULT_PATH;
  let seen = 'ENOENT';
  for (const dir of path.split(':')) {
    const p = (dir === '' ? '.' : dir) + '/' + name;
    const err = checkFile(p);
    if (!err) return { path: p };
    if (err === 'EACCES') seen = err;
  }
  return { code: seen };
}

/**
 * What the kernel would say to execve(path): null if it would run. Node cannot survive a failed
 * execve, so the format (ELF, or #! with an interpreter that exists) is checked beforehand.
 */
export function execFormatError(path: string, depth = 0): string | null {
  let fd: number;
  try {
    fd = openSync(toBuffer(path), 'r');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? 'EACCES';
  }
  const head = Buffer.alloc(256);
  let n = 0;
  try {
    n = readSync(fd, head, 0, 256, 0);
  } catch {
    n = 0;
  } finally {
    closeSync(fd);
  }
  if (n >= 4 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46) return null;
  if (n >= 2 && head[0] === 0x23 && head[1] === 0x21) {
    if (depth >= 4) return 'ELOOP';
    let line = head.subarray(2, n).toString('latin1');
    const nl = line.indexOf('\n');
    if (nl >= 0) line = line.slice(0, nl);
    const interp = line.replace(/^[ \t]+/, '').split(/[ \t]/)[0];
    if (!interp) return 'ENOEXEC';
    const err = checkFile(interp);
    if (err) return err;
    return execFormatError(interp, depth + 1);
  }
  return 'ENOEXEC';
}

/** Resolves and checks a program; throws the reference's "unable to exec" Die on failure. */
export function findExecutable(prog: string, name: string, env: Map<string, string>): string {
  const r = resolveProgram(name, env);
  if ('code' in r) fatalExec(prog, name, r.code);
  const f = execFormatError(r.path);
  if (f) fatalExec(prog, name, f);
  return r.path;
}

/**
 * The marker that starts an argv meaning "our own commands, in a process of their own": a
 * virtual child that needs a real process (getpid, s6-setsid, credentials before more of our
 * commands) returns selfArgv(rest), and whoever materializes it starts a Node child (or execs
 * Node in place) with the state handed over.
 */
export const SELF = '\u0000execline-ts-self';

/**
 * The argv that runs `argv` (starting with our command `command`, by its first name) in a real
 * Node process. The command travels in the marker, and reaches the child as `--command`: the
 * child runs it whatever argv[0] says (exec -a NAME before getpid), as the reference's spawned
 * binary does. `recheck`: argv[0] is a path the parent could not judge (credentials it took in a
 * block apply only in the child): the child looks it up again, and a failure to exec it is the
 * program `recheck` names (--recheck).
 */
export function selfArgv(argv: string[], command: string, recheck?: string): string[] {
  return [`${SELF}\u0000${command}${recheck === undefined ? '' : `\u0000${recheck}`}`, ...argv];
}

/** Whether argv is a selfArgv(). */
export function isSelf(argv: readonly string[]): boolean {
  return argv.length > 0 && argv[0].startsWith(SELF);
}

/** The command a selfArgv() runs, and the program named by `recheck` if the child must look argv[0] up again. */
function selfCommand(argv: readonly string[]): { command: string; recheck?: string } {
  const [command, recheck] = argv[0].slice(SELF.length + 1).split('\u0000');
  return { command, recheck };
}

/** Where glibc's execvp looks when PATH is unset (confstr _CS_PATH). */
const LIBC_DEFAULT_PATH = '/bin:/usr/bin';

/**
 * The candidate paths for name, in the order they are tried. The reference execs with skalibs'
 * exec_ae (an empty PATH element is skipped) and spawns blocks with glibc's posix_spawnp (an
 * empty element is the current directory, PATH unset is /bin:/usr/bin).
 */
export function candidates(name: string, searchPath: string | undefined, libc = false): Buffer[] {
  if (name.includes('/')) return [toBuffer(name)];
  // (glibc's execvp: an empty name is ENOENT, nothing tried; skalibs tries dir/ and says EACCES.)
  if (libc && name === '') return [];
  const out: Buffer[] = [];
  for (const dir of (searchPath ?? (libc ? LIBC_DEFAULT_PATH : DEFAULT_PATH)).split(':')) {
    if (dir !== '') out.push(toBuffer(dir + '/' + name));
    else if (libc) out.push(toBuffer(name));
  }
  return out;
}

/** Credentials the platform layer applies (setgroups, setgid, setuid), if the state has any. */
function credsOf(st: State): { uid: number; gid: number; groups: number[] | null } | null {
  const c = st.creds;
  if (!c || (c.uid === undefined && c.gid === undefined && !c.groups)) return null;
  return { uid: c.uid ?? -1, gid: c.gid ?? -1, groups: c.groups ?? null };
}

/** The plan for running argv (files = its candidate paths) with the state. */
function planFor(st: State, files: Buffer[], argv: string[], blocked: bigint): sys.ExecPlan {
  return {
    files,
    argv: argv.map(toBuffer),
    envp: [...st.env].map(([k, v]) => toBuffer(`${k}=${v}`)),
    fds: fdTable(st),
    rlimits: st.rlimits,
    ignored: st.ignored,
    blocked,
    creds: credsOf(st),
  };
}

/** The message and exit code of a failed exec (exitcodes.html: 127 not found, else 126). */
function execFailure(st: State, name: string, e: unknown): Die {
  const x = e as { code?: string; stage?: string };
  if (x.stage && x.stage !== 'exec') return sysDie(st.prog, EXIT_SYS, x.stage, e);
  // (E0: an empty PATH gave nothing to try, and the reference reports errno 0.)
  return x.code === 'E0' ? sysDie(st.prog, EXIT_NOEXEC, `exec ${name}`, 'Success') : execDie(st.prog, name, e);
}

/** s6-setsid's work on this process, step by step, with its messages: fatal (-i), a warning (-I) or none (-q). */
export function applySessionSteps(steps: SessionStep[]): void {
  for (const step of steps) {
    const attempt = (call: string, f: () => void) => {
      try {
        f();
      } catch (e) {
        if (step.insist === 2) fatalSys(step.prog, EXIT_SYS, call, e);
        if (step.insist === 1) warnSys(step.prog, call, e);
      }
    };
    if (step.mode === 's') attempt('setsid', () => sys.setsid());
    else {
      attempt('setpgid', () => sys.setpgid(0, 0));
      if (step.mode === 'f' || step.mode === 'g') {
        const SIGTTOU = sys.SIGNALS.TTOU;
        const old = step.mode === 'g' ? sys.setSignal(SIGTTOU, sys.SIG_IGN) : null;
        attempt('tcsetpgrp', () => sys.tcsetpgrp(step.ctty, process.pid));
        if (old !== null && old !== 2) sys.setSignal(SIGTTOU, old);
      }
    }
  }
}

const ALL_SIGNALS = 0xffffffffffffffffn;

/** Node's flags for every Node process of ours: no inspector on SIGUSR1, no SIGSEGV handler of V8's. */
export const NODE_FLAGS = ['--disable-sigusr1', '--disable-wasm-trap-handler'];

let guard: Buffer[] | null = null;

/** LD_PRELOAD of the signal guard beside the bundle, if it is there. */
function guardEnv(): Buffer[] {
  if (guard) return guard;
  const so = join(dirname(getSelfPath()), 'sigguard.so');
  // (ld.so splits LD_PRELOAD at blanks and colons: such a path goes without the guard.)
  guard = existsSync(so) && !/[\s:]/.test(so) ? [Buffer.from(`LD_PRELOAD=${so}`)] : [];
  return guard;
}

/** The handover record for a Node process that runs argv (our commands) with the state. */
/** glibc's two internal signals (32, 33), which its posix_spawn leaves ignored in a child. */
const LIBC_INTERNAL = (1n << 31n) | (1n << 32n);

function handoverFor(st: State, argv: string[], fds: number[], blocked: bigint, ignored: bigint): Buffer {
  const nofile = sys.getrlimit(sys.RLIMIT.NOFILE);
  return encodeHandover({
    argv,
    env: [...st.env].map(([k, v]) => `${k}=${v}`),
    fds,
    nofile,
    ignored,
    blocked,
    rlimits: st.rlimits,
  });
}

/**
 * The plan that starts Node on our bundle to run argv (our own commands) as the state's process:
 * the program's fd table, plus the handover memfd at the first fd above it (named by --state-fd).
 * Node runs with no environment (NODE_OPTIONS and friends are the program's, in the record) and
 * not under the state's resource limits, which stay deferred in the record. After --state-fd
 * come the child's trace level and whether its first step was printed already (trace.ts), then
 * `--command` and the command to run first (argv[0] is only what that command sees).
 */
function selfPlan(
  st: State,
  { command, recheck }: { command: string; recheck?: string },
  argv: string[],
  inPlace: boolean,
  level: number,
  printed: boolean,
): { plan: sys.ExecPlan; memfd: number } {
  const table = fdTable(st);
  const at = Math.max(2, ...table.map(([t]) => t)) + 1;
  const memfd = sys.memfd();
  // A child's mask starts empty (skalibs' spawn clears it); an exec keeps the process's.
  // (And a spawned child has glibc's internal signals ignored, as the reference's spawn leaves them.)
  const rec = handoverFor(
    st,
    argv,
    table.map(([t]) => t),
    inPlace ? st.blocked : 0n,
    inPlace ? st.ignored : st.ignored | LIBC_INTERNAL,
  );
  let off = 0;
  while (off < rec.length) off += writeSync(memfd, rec, off, rec.length - off, off);
  const node = process.execPath;
  const nargv = [node, ...NODE_FLAGS, getSelfPath(), '--state-fd', String(at), ...traceArgs(level, printed), '--command', command];
  if (recheck !== undefined) nargv.push('--recheck', recheck);
  const plan: sys.ExecPlan = {
    files: [toBuffer(node)],
    argv: nargv.map((a) => Buffer.from(a)),
    // The signal guard (interpreter/platform/sigguard.c): Node must not discard a pending SIGPIPE.
    envp: guardEnv(),
    fds: [...table, [at, memfd]],
    rlimits: [],
    ignored: st.ignored,
    // Blocked until the child has set its dispositions (main.ts restoreSignals): a signal sent
    // while Node starts is delivered then, as to the C process it stands for.
    blocked: ALL_SIGNALS,
    creds: credsOf(st),
  };
  return { plan, memfd };
}

let setlimits: string | null | undefined;

/** The setlimits program beside the bundle (interpreter/platform/setlimits.c), if it is there and executable. */
function setlimitsPath(): string | null {
  if (setlimits === undefined) {
    const p = join(dirname(getSelfPath()), 'setlimits');
    try {
      accessSync(p, fsc.X_OK);
      setlimits = p;
    } catch {
      setlimits = null;
    }
  }
  return setlimits;
}

/**
 * An exec in place under resource limits, as a plan that execs setlimits instead of the program:
 * this process applies everything else, and the limits are set by a program with one thread,
 * where no allocation of Node's can fail under them (see setlimits.c). Null when setlimits is
 * missing, or when its longer argv would not fit where the program's does.
 */
function limitsPlan(st: State, plan: sys.ExecPlan, files: Buffer[], name: string, args: string[]): sys.ExecPlan | null {
  const path = setlimitsPath();
  if (path === null) return null;
  const words = ['setlimits', st.prog, name, String(st.rlimits.length)];
  for (const l of st.rlimits) words.push(String(l.resource), String(l.soft), String(l.hard));
  words.push(String(files.length), ...files.map((f) => f.toString('latin1')), '--', ...args);
  if (wouldE2BIG(st, words)) return null;
  return { ...plan, files: [Buffer.from(path)], argv: words.map(toBuffer), rlimits: [] };
}

/** Replaces this process with argv, with the state applied. Never returns. */
export async function execInPlace(st: State, argv: string[]): Promise<never> {
  let plan: sys.ExecPlan;
  let memfd = -1;
  let name = argv[0];
  if (isSelf(argv)) {
    ({ plan, memfd } = selfPlan(st, selfCommand(argv), argv.slice(1), true, traceLevel(), wasPrinted(argv)));
    name = argv[1];
  } else {
    traceStep(st, argv, traceLevel()); // EXECLINE_TRACE=1: the final program
    const args = argv.slice();
    if (st.argv0 !== null) args[0] = st.argv0;
    const files = candidates(argv[0], st.searchPath);
    plan = planFor(st, files, args, st.blocked);
    const limited = st.rlimits.length > 0 ? limitsPlan(st, plan, files, argv[0], args) : null;
    if (limited) plan = limited;
  }
  saveCodeCache();
  try {
    sys.execve(plan);
  } catch (e) {
    if (memfd >= 0) closeSync(memfd);
    // The fd table is the program's now (the message goes to its stderr, as the reference's
    // does); Node's own fds may have been replaced, so end without its exit hooks.
    const d = execFailure(st, name, e);
    try {
      writeSync(2, d.message + '\n');
    } catch {
      /* no stderr */
    }
    sys.exitNow(d.code);
  }
  fatalSys(st.prog, EXIT_NOEXEC, `exec ${name}`);
}

/**
 * tryexec's attempt: execs argv with the state in place, or, when the kernel refuses, puts this
 * process back as it was and returns the errno name (the program's candidates are tried as
 * skalibs' exec_ae does).
 */
export function tryExecInPlace(st: State, argv: string[]): string {
  traceStep(st, argv, traceLevel());
  const args = argv.slice();
  if (st.argv0 !== null) args[0] = st.argv0;
  try {
    sys.tryExecve(planFor(st, candidates(argv[0], st.searchPath), args, st.blocked));
  } catch (e) {
    return (e as { code?: string }).code ?? 'EIO';
  }
  return 'EIO';
}

/**
 * Starts argv as a child with the state; returns its pid. Throws SysError when it cannot be
 * started: stage 'exec' with the kernel's errno when the program itself would not run. `level`
 * is the child's trace level (trace.ts): one below the running process unless the child is the
 * program a virtual child ends with.
 */
export function spawnProgram(st: State, argv: string[], libc = false, level = traceLevel() + 1): number {
  if (isSelf(argv)) {
    // The reference spawns the command itself: an argv or environment too big for the kernel
    // fails there, in the parent ("unable to spawn"); a Node child, whose argv is in its
    // handover record, would start and fail at its first step instead.
    refuseE2BIG(st, argv.slice(1));
    const { plan, memfd } = selfPlan(st, selfCommand(argv), argv.slice(1), false, level, wasPrinted(argv));
    try {
      return sys.spawn(plan);
    } finally {
      closeSync(memfd);
    }
  }
  traceStep(st, argv, level); // EXECLINE_TRACE=1: the program, before it starts
  const args = argv.slice();
  if (st.argv0 !== null) args[0] = st.argv0;
  // skalibs' spawn gives the child an empty signal mask. A block the reference spawns directly
  // is searched as glibc's posix_spawnp does, with the spawning command's own PATH; a virtual
  // child's program, which the reference's child execs, as skalibs does, with the PATH its last
  // command started with.
  const plan = planFor(st, candidates(argv[0], libc ? st.env.get('PATH') : st.searchPath, libc), args, 0n);
  if (libc) plan.search = 'libc';
  return sys.spawn(plan);
}

/** Runs argv as a child with the state and waits for it (a blocking wait, as in C). */
export function spawnWait(st: State, argv: string[]): ChildStatus {
  return waitFor(spawnProgram(st, argv));
}

/** Starts argv as a child with the state, without waiting. */
export function spawnNoWait(st: State, argv: string[], libc = false): Child {
  return watch(spawnProgram(st, argv, libc));
}

let stackLimit: bigint | null = null;

/** RLIMIT_STACK's soft value for the program: the state's (s6-softlimit -s), else this process's. */
function stackFor(st: State): bigint {
  for (let i = st.rlimits.length - 1; i >= 0; i--) if (st.rlimits[i].resource === sys.RLIMIT.STACK) return st.rlimits[i].soft;
  stackLimit ??= sys.getrlimit(sys.RLIMIT.STACK).soft;
  return stackLimit;
}

/**
 * Throws what the kernel's execve would give a child that runs argv (our own command) with the
 * state when it would not take them: SysError E2BIG at stage 'exec', as sys.spawn reports it.
 */
export function refuseE2BIG(st: State, argv: string[]): void {
  if (execWouldE2BIG(st, argv, st.env.get('PATH'))) throw new sys.SysError('execve', 'E2BIG', 7, 'exec');
}

/**
 * wouldE2BIG for an exec of argv (our own command) found through searchPath: the kernel counts
 * the file name it was given, the path the search found (the reference's binary there; ours is
 * our launcher), not argv[0]. Found only when it could matter (within PATH_MAX of the limit).
 */
export function execWouldE2BIG(st: State, argv: string[], searchPath: string | undefined): boolean {
  if (!wouldE2BIG(st, argv, argv[0].length + PATH_MAX)) return false;
  let file = argv[0].length;
  // (The kernel goes past a directory of that name, EACCES, as it does past a missing file.)
  for (const c of candidates(argv[0], searchPath)) {
    if (checkFile(c) === null) {
      file = c.length;
      break;
    }
  }
  return wouldE2BIG(st, argv, file);
}

const PATH_MAX = 4096;

/** MAX_ARG_STRLEN: the most one argument or environment string may hold, NUL included. */
const MAX_ARG_STRLEN = 131072;

/**
 * Whether execve(path, argv, env) would fail with E2BIG (fs/exec.c), `file` being the length of
 * path (argv[0]'s by default): a string longer than
 * MAX_ARG_STRLEN, or more bytes (the file name, every argument and variable, and a pointer for
 * each) than a quarter of the stack limit, capped at 6 MiB and at least 128 KiB. The reference
 * execs at every step of a chain, so a step whose argv and environment no longer fit fails
 * there: `backtick Y { seq 1 30000 } if ...` dies in backtick's exec of if.
 */
export function wouldE2BIG(st: State, argv: string[], file = argv[0].length): boolean {
  let n = file + 1;
  for (const a of argv) {
    if (a.length + 1 > MAX_ARG_STRLEN) return true;
    n += a.length + 1;
  }
  for (const [k, v] of st.env) {
    const l = k.length + v.length + 2;
    if (l > MAX_ARG_STRLEN) return true;
    n += l;
  }
  if (n < 128 * 1024 - 8 * (argv.length + st.env.size + 1)) return false;
  const stack = stackFor(st);
  let limit = stack === sys.RLIM_INFINITY ? 6 * 1024 * 1024 : Math.min(Number(stack / 4n), 6 * 1024 * 1024);
  limit = Math.max(limit, 128 * 1024);
  return n + 8 * (Math.max(argv.length, 1) + st.env.size) > limit;
}

/** The exit code for a program that could not be exec'd (exitcodes.html): the vocabulary's. */
export { execCode } from '../command/errors.js';

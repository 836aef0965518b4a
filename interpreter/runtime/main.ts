// The multicall entry point: `node execline.cjs NAME args...`, where NAME is how the program was
// called (a launcher passes its own path). Dispatches on the name, runs the chain, and turns every
// way of ending into an exit code and a message: never a JavaScript stack trace.
import { saveCodeCache } from './lazy.js';
import { Die, EXIT_SYS, Exit, Killed, fatalDie, fatalText, report, setStderrFd, sysText } from '../command/errors.js';
import { handedOverState, initialState, realFd, setSys, type State } from './state.js';
import { runMain, setSelfPath } from './trampoline.js';
import { getSelfPath } from './self.js';
import { fromNative } from '../language/bytes.js';
import { readHandover, type Handover } from './handover.js';
import * as sys from '../platform/index.js';
import { lookupName, setCommandTable } from '../command/registry.js';
import { commandTable } from '../command/commands.generated.js';

setCommandTable(commandTable);

/**
 * The message for a Node too old to run us, or null: our Node processes start with
 * --disable-sigusr1 (no inspector on SIGUSR1), which 22.14 brought; 22.15 (where process.execve
 * arrived, a convenient marker) is the oldest we test.
 */
export function nodeTooOld(name: string, version: string, hasExecve: boolean): string | null {
  const [maj, min] = version.split('.').map(Number);
  if (hasExecve && (maj > 22 || (maj === 22 && min >= 15))) return null;
  return `${fatalText(name, `Node.js >= 22.15 is required (for --disable-sigusr1); this is Node.js ${version}`)}\n`;
}

function tooOld(name: string): boolean {
  const msg = nodeTooOld(name, process.versions.node, typeof process.execve === 'function');
  if (msg) process.stderr.write(msg);
  return msg !== null;
}

/**
 * The CLI's bundle (package/bundle.ts): the build makes this import load dist/execline-cli.cjs
 * beside the core, so command starts never read the installer. A tree without it says so.
 */
async function loadCli(): Promise<typeof import('../package/bundle.js')> {
  try {
    const m = await import('../package/bundle.js');
    // (A file cut short can load and lack them.)
    for (const f of ['runCli', 'runWriteLaunchers', 'runWarmCodeCache'] as const) if (typeof m[f] !== 'function') throw new Error(`${f} is missing from it`);
    return m;
  } catch (e) {
    process.stderr.write(`${fatalText('execline-ts', 'unable to load the CLI bundle: ', e instanceof Error ? e.message.split('\n')[0] : String(e))}\n`);
    process.exit(111);
  }
}

/** What the CLI's bundle gets from this one (package/bundle.ts Shared). */
function shared(): { table: typeof commandTable; selfPath: string } {
  return { table: commandTable, selfPath: getSelfPath() };
}

/** Ends this process by a signal with its default action (Node catches or ignores some). */
function dieOfSignal(sig: number): void {
  const noop = () => {};
  const name = sys.nodeSignalName(sig);
  if (!name) return;
  try {
    sys.setSignal(sig, sys.SIG_DFL);
  } catch {
    /* not loaded */
  }
  // Stopping the last listener puts the default action back (libuv resets it to SIG_DFL).
  process.on(name, noop);
  process.removeListener(name, noop);
  process.kill(process.pid, name);
}

/**
 * Undoes what Node did to this process's signals as it started (SIGPIPE and SIGXFSZ ignored,
 * SIGUSR1 caught and blocked for the inspector, every ignored signal reset): each gets the
 * disposition the caller left it, so `kill -PIPE` or `s6-svc -1` ends a chain as it ends a C
 * process, and the programs get what the caller ignored. Signals that arrived while Node was
 * starting (the starter blocked them all) are delivered now.
 */
function restoreSignals(ignored: bigint, blocked: bigint): void {
  sys.setupSignals(ignored, blocked);
}

/** How a process was started, beyond its argv: see main(). */
export interface StartedAs {
  /** The argv[0] the command sees when it is not `invoked` (exec -a, a renamed launcher). */
  argv0?: string | null;
  /** A launcher or a parent named the command: a path in argv[0] is not read again to learn it. */
  launched?: boolean;
  /** The program that names a failure of the first step (the parent's last command, for a path checked again here). */
  prog?: string | null;
}

/**
 * Runs the command `invoked` (a name or a path to a launcher) with its arguments. `how.launched`:
 * a launcher started this process as that command, or a parent did (it may be any path, as a C
 * binary's argv[0] may).
 */
export async function main(invoked: string, args: string[], handover: Handover | null = null, how: StartedAs = {}): Promise<never> {
  const { argv0 = null, launched = false, prog = null } = how;
  const name = invoked.slice(invoked.lastIndexOf('/') + 1);
  if (tooOld(name || 'execline')) process.exit(111);
  // For bench/: the cost of starting Node and loading the bundle, and nothing else.
  if (name === '--load-only') process.exit(0);
  // The build writes bin/ with this (interpreter/package/install.ts writeLaunchers): relative pairs.
  if (name === '--write-launchers') {
    const { runWriteLaunchers } = await loadCli();
    try {
      runWriteLaunchers(args[0], JSON.parse(args[1]), shared());
    } catch (e) {
      process.stderr.write(`${fatalText('execline-ts', e instanceof Error ? e.message : String(e))}\n`);
      process.exit(111);
    }
    process.exit(0);
  }
  if (name === '--warm-code-cache') {
    const { runWarmCodeCache } = await loadCli();
    runWarmCodeCache(args[0], shared());
    process.exit(0);
  }
  if (name === 'execline-ts') {
    // The CLI is a plain tool: the signals as a C tool starts with (and the guard let go).
    try {
      sys.setupSignals(0n, 0n);
    } catch (e) {
      process.stderr.write(`${fatalText('execline-ts', sysText('start'), ': ', e instanceof Error ? e.message : String(e))}\n`);
      process.exit(111);
    }
    const { runCli } = await loadCli();
    let r: ReturnType<typeof runCli>;
    try {
      r = runCli(args, shared());
    } catch (e) {
      process.stderr.write(`${fatalText('execline-ts', 'internal error: ', e instanceof Error ? e.message.split('\n')[0] : String(e))}\n`);
      process.exit(111);
    }
    if (typeof r === 'number') sys.exitNow(r);
    return main(r.command, r.args, handover ? { ...handover, argv: handover.argv.slice(1) } : null);
  }
  const entry = lookupName(name);
  if (!entry) {
    process.stderr.write(`${fatalText('execline', `unknown command name: ${name}`)}\n`);
    process.exit(100);
  }
  let st: State;
  try {
    setSys(sys);
    st = handover ? handedOverState(name, handover, sys.getrlimit(sys.RLIMIT.NOFILE).soft) : initialState(name);
    if (prog !== null) st.prog = prog;
    restoreSignals(st.ignored, st.blocked);
  } catch (e) {
    process.stderr.write(`${fatalText(name, sysText('start'), ': ', e instanceof Error ? e.message : String(e))}\n`);
    process.exit(111);
  }
  let code = 111;
  try {
    // A launcher called by another name (exec -a, a symlink, a renamed copy) runs its own
    // command, which still sees the argv[0] it was given, as the reference's binary does.
    if (argv0 !== null) st.argv0 = argv0;
    await runMain(st, [invoked.includes('/') || handover ? invoked : name, ...args], launched ? entry : undefined);
  } catch (e) {
    if (e instanceof Exit) code = e.code;
    else if (e instanceof Killed) dieOfSignal(e.signal);
    else if (e instanceof Die) {
      setStderrFd(realFd(st, 2));
      report(e);
      code = e.code;
    } else {
      setStderrFd(realFd(st, 2));
      report(fatalDie(st.prog, EXIT_SYS, 'internal error: ', e instanceof Error ? e.message : String(e)));
    }
  }
  // Without Node's exit hooks: they would put back the terminal modes and stdio flags as Node
  // found them, undoing what the script's programs changed (stty, O_NONBLOCK).
  saveCodeCache();
  sys.exitNow(code);
}

/**
 * Called by the entry file (dist/execline.cjs, a small stub that turns Node's compile cache on
 * first) with its own path: `node execline.cjs NAME args...`.
 */
export function start(entry: string): void {
  setSelfPath(entry);
  const argv = process.argv.slice(2);
  if (argv[0] === '--state-fd') {
    // Started by the launcher or by spawnSelf: the process to stand for is in the record.
    let h: Handover;
    try {
      h = readHandover(Number(argv[1]));
    } catch (e) {
      process.stderr.write(`${fatalText('execline', sysText('read the handover record'), ': ', e instanceof Error ? e.message : String(e))}\n`);
      process.exit(111);
    }
    // After `--state-fd N`, options in pairs (`--trace L`, trace.ts; `--command C`; `--recheck P`).
    const option = (name: string): string | undefined => {
      const at = argv.indexOf(name, 2);
      return at > 0 && at % 2 === 0 ? argv[at + 1] : undefined;
    };
    // The launcher names the command it was installed as, and a parent the command it started
    // a Node child for: argv[0] may say anything (exec -a).
    const command = option('--command');
    const invoked = h.argv[0] ?? '';
    const base = invoked.slice(invoked.lastIndexOf('/') + 1);
    const own = command === undefined || base === command;
    // --recheck PROG: a parent that took credentials in a block (a virtual child) hands over a
    // path it could not judge as the new user: it is looked up again here, as that user, and a
    // failure to exec it is PROG's, as the reference's s6-applyuidgid execs it.
    const recheck = option('--recheck');
    void main(own ? invoked || 'execlineb' : command, h.argv.slice(1), h, {
      argv0: own ? null : invoked,
      launched: command !== undefined && recheck === undefined,
      prog: recheck ?? null,
    });
    return;
  }
  void main(fromNative(argv[0] ?? 'execlineb'), argv.slice(1).map(fromNative));
}

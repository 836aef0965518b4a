// The multicall entry point: `node execline.cjs NAME args...`, where NAME is how the program was
// called (a launcher passes its own path). Dispatches on the name, runs the chain, and turns every
// way of ending into an exit code and a message: never a JavaScript stack trace.
import { Die, Exit, Killed, report, setStderrFd } from './errors.js';
import { initialState, realFd } from './state.js';
import { runMain, setSelfPath, unpackArgv } from './trampoline.js';
import { fromNative } from './bytes.js';
import { constants as osConstants } from 'node:os';
import { lookupName } from './registry.js';

/** The message for a Node too old to run us (no process.execve before 22.15), or null. */
export function nodeTooOld(name: string, version: string, hasExecve: boolean): string | null {
  const [maj, min] = version.split('.').map(Number);
  if (hasExecve && (maj > 22 || (maj === 22 && min >= 15))) return null;
  return `${name}: fatal: Node.js >= 22.15 is required (for process.execve); this is Node.js ${version}\n`;
}

function tooOld(name: string): boolean {
  const msg = nodeTooOld(name, process.versions.node, typeof process.execve === 'function');
  if (msg) process.stderr.write(msg);
  return msg !== null;
}

/** Ends this process by a signal with its default action (Node catches or ignores some). */
function dieOfSignal(sig: number): void {
  const noop = () => {};
  const name = Object.entries(osConstants.signals).find(([, n]) => n === sig)?.[0] as NodeJS.Signals | undefined;
  if (!name) return;
  // Stopping the last listener puts the default action back (libuv resets it to SIG_DFL).
  process.on(name, noop);
  process.removeListener(name, noop);
  process.kill(process.pid, name);
}

/** Runs the command `invoked` (a name or a path to a launcher) with its arguments. */
export async function main(invoked: string, args: string[]): Promise<never> {
  const name = invoked.slice(invoked.lastIndexOf('/') + 1);
  if (tooOld(name || 'execline')) process.exit(111);
  // For bench/: the cost of starting Node and loading the bundle, and nothing else.
  if (name === '--load-only') process.exit(0);
  // startChild (background and friends) runs a block that begins with one of our commands here.
  if (name === '--run' && args.length > 0) return main(args[0], args.slice(1));
  if (name === '--run-packed' && args.length > 0) {
    const argv = unpackArgv(args.map(fromNative));
    return main(argv[0], argv.slice(1));
  }
  if (name === '--install') {
    const { install } = await import('./install.js');
    process.exit(install(args));
  }
  if (name === '--exec-state') {
    // A helper child (exec.ts needsHelper): apply a block's state in place and exec its program.
    const { execState } = await import('./exec.js');
    const st = initialState('execline');
    try {
      await execState(args, st);
    } catch (e) {
      if (e instanceof Die) {
        report(e);
        process.exit(e.code);
      }
      report(new Die(111, `${st.prog}: fatal: internal error: ${e instanceof Error ? e.message : String(e)}`));
    }
    process.exit(111);
  }
  if (!lookupName(name)) {
    process.stderr.write(`execline: fatal: unknown command name: ${name}\n`);
    process.exit(100);
  }
  const st = initialState(name);
  let code = 111;
  try {
    await runMain(st, [fromNative(invoked.includes('/') ? invoked : name), ...args.map(fromNative)]);
  } catch (e) {
    if (e instanceof Exit) code = e.code;
    else if (e instanceof Killed) dieOfSignal(e.signal);
    else if (e instanceof Die) {
      setStderrFd(realFd(st, 2));
      report(e);
      code = e.code;
    } else {
      setStderrFd(2);
      report(new Die(111, `${st.prog}: fatal: internal error: ${e instanceof Error ? e.message : String(e)}`));
    }
  }
  process.exit(code);
}

/**
 * Called by the entry file (dist/execline.cjs, a small stub that turns Node's compile cache on
 * first) with its own path: `node execline.cjs NAME args...`.
 */
export function start(entry: string): void {
  setSelfPath(entry);
  const argv = process.argv.slice(2);
  void main(argv[0] ?? 'execlineb', argv.slice(1));
}

// What the block-running commands share: run a block as a child and read its status the way
// execline reports it. The child-status contract, in one place: a ChildStatus (command/context.ts)
// holds the signal number of a killed child and, in `code`, its exit code or 128 + the signal
// number; the commands read it in exactly three ways, checked against the reference (foreground.html,
// exitcodes.html, and 2.9.3 itself for a child killed by SIGTERM):
//   waitStatus  the ? variable of foreground and ifthenelse: 256 + N for a death by signal N (271)
//   estatus     a plain code, as wait_estatus: 128 + N (143); zero exactly when the child succeeded
//   approximate what if, backtick, wait, trap and the loops exit with or compare: 128 + N, and an
//               exit code of 128 or more squashed to 128
import type { ChildResult, ChildSetup, ChildStatus, Context } from './context.js';
import { Exit, EXIT_SIGNALED, EXIT_SYS, execDie, fatal, fatalSpawn, warnSys } from './errors.js';
import * as sys from '../platform/index.js';
import { toBuffer } from '../language/bytes.js';

/** skalibs' wait_status: the exit code, or 256 + the signal number for a killed child (the ? variable). */
export function waitStatus(s: ChildStatus): number {
  return s.signal ? 256 + s.signal : s.code;
}

/** skalibs' wait_estatus: the exit code, or 128 + the signal number. */
export function estatus(s: ChildStatus): number {
  return s.signal ? EXIT_SIGNALED + s.signal : s.code;
}

/**
 * The exit code that passes a child's end up (exitcodes.html): 128 + N for a death by signal N,
 * an exit code of 128 or more squashed to 128, a lower one kept.
 */
export function approximate(s: ChildStatus): number {
  if (s.signal) return EXIT_SIGNALED + s.signal;
  return Math.min(s.code, EXIT_SIGNALED);
}

/** Runs a block and dies with "unable to spawn" (111) if it cannot be started. */
export async function runBlockOrDie(ctx: Context, argv: string[]): Promise<ChildStatus> {
  const r: ChildResult = await ctx.runChild(argv);
  if ('spawnError' in r) fatalSpawn(ctx.prog, argv[0] ?? '', r.spawnError);
  return r;
}

/**
 * Runs a command line that is not a block (ifte's command-if, loopwhilex's body); if it cannot
 * be started, dies with "unable to spawn" (111), and for a name that begins with a space (a block
 * given where a command line goes) asks "are you trying to spawn a block as your WHAT?".
 */
export async function runLineOrDie(ctx: Context, prog: string, argv: string[], what: string): Promise<ChildStatus> {
  const r: ChildResult = await ctx.runChild(argv);
  if (!('spawnError' in r)) return r;
  if (r.spawnError === 'ENOENT' && argv[0].startsWith(' '))
    fatal(prog, EXIT_SYS, `: unable to spawn ${argv[0]}: name begins with a space, are you trying to spawn a block as your ${what}?`);
  fatalSpawn(prog, argv[0], r.spawnError);
}

/**
 * Dies as if, ifelse, ifte and ifthenelse do when their child was killed (unless -X makes a crash
 * count as false): "child crashed with signal N", exit code 128 + N (exitcodes.html).
 */
export function fatalCrash(prog: string, signal: number): never {
  fatal(prog, EXIT_SIGNALED + signal, `child crashed with signal ${signal}`);
}

/** Runs a block; if it cannot be started, warns and reports 127 (el_execsequence). */
export async function runBlockOrWarn(ctx: Context, argv: string[]): Promise<ChildStatus> {
  const r: ChildResult = await ctx.runChild(argv);
  if ('spawnError' in r) {
    warnSys(ctx.prog, `spawn ${argv[0] ?? ''}`, r.spawnError);
    return { code: 127, signal: 0 };
  }
  return r;
}

/** The continuation after a block: an empty rest means exit 0. */
export function continueWith(rest: string[]): string[] {
  if (rest.length === 0) throw new Exit(0);
  return rest;
}

/**
 * A child that only reports, as the reference's grandchild does when it cannot exec (background
 * -d, pipeline -d): it still has a pid for !, and its message comes from another process, at its
 * own pace.
 */
export function failingChild(ctx: Context, message: string, code: number): number {
  // A fork that writes the line on the real fd 2 and exits: no shell, no second Node.
  return sys.forkWrite(ctx.realFd(2), toBuffer(`${message}\n`), code);
}

/**
 * Starts a block beside the chain (background, pipeline) and returns the pid for !. Without
 * detach the child is one wait can wait for, and a block that cannot be started is the
 * command's "unable to spawn" (111). With detach (-d, the reference's double fork) the program
 * is a grandchild: nobody waits for it, and one that cannot be exec'd is the grandchild's
 * "unable to exec" (126, 127), written by a child of its own.
 */
export function startBeside(ctx: Context, prog: string, argv: string[], detach: boolean, setup?: ChildSetup): number {
  const r = ctx.startChild(argv, setup);
  if ('spawnError' in r) {
    if (!detach) fatalSpawn(prog, argv[0], r.spawnError);
    const d = execDie(`${prog} (grandchild)`, argv[0], r.spawnError);
    return failingChild(ctx, d.message, d.code);
  }
  if (detach) r.child.unref();
  else ctx.children.push(r.child);
  return r.pid;
}

// Pipes between a command and the rest of its chain (pipeline, piperw, heredoc): a new pipe with
// the reference's message when it cannot be made (the context adopts the ends: Context.adoptFd).
import { EXIT_SYS, fatalSys } from './errors.js';

/**
 * A new pipe (both ends close-on-exec), or the reference's fatal "unable to <what>" (111): heredoc
 * says "pipe", piperw "create pipe".
 */
export async function openPipe(prog: string, what: 'pipe' | 'create pipe'): Promise<[number, number]> {
  const sys = await import('../platform/index.js');
  try {
    return sys.pipe();
  } catch (e) {
    fatalSys(prog, EXIT_SYS, what, e);
  }
}

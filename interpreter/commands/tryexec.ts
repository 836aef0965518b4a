// tryexec: goes on with the block (with exec's -c, -l, -a), or with the rest of the line when the
// block's program cannot be executed; -n swaps the two.
import { defineCommand, options } from '../command/command.js';
import { readBlock } from '../command/block.js';
import { Exit, EXIT_USAGE, fatal } from '../command/errors.js';
import { execFormatError, resolveProgram, tryExecInPlace } from '../runtime/exec.js';
import { lookup } from '../runtime/trampoline.js';
import { realProcess } from '../runtime/state.js';

export const tryexec = defineCommand({
  names: ['tryexec'],
  prog: 'tryexec',
  usage: 'tryexec [ -n ] [ -c ] [ -l ] [ -a argv0 ] { command... } remainder...',
  run(st, argv) {
    const { opts, index } = options(this, argv, 'ncla:');
    let not = false;
    let clear = false;
    let dash = false;
    let argv0: string | null = null;
    for (const o of opts) {
      if (o.key === 'n') not = true;
      else if (o.key === 'c') clear = true;
      else if (o.key === 'l') dash = true;
      else argv0 = o.arg;
    }
    if (argv[index] === '') fatal(this.prog, EXIT_USAGE, 'empty block');
    const block = readBlock(st, argv, index);
    const rest = argv.slice(block.next);
    if (not && rest.length === 0) fatal(this.prog, EXIT_USAGE, 'empty remainder not allowed with -n');
    const [main, fallback] = not ? [rest, block.argv] : [block.argv, rest];

    // In a real process, try for real: the kernel is the judge (a foreign ELF that binfmt_misc
    // runs, a file being written...), and a refusal puts the process back as it was.
    if (!st.virtual && realProcess() && main.length > 0 && !lookup(main[0])) {
      let name = argv0 ?? main[0];
      if (dash) name = '-' + name;
      const attempt = { ...st, env: clear ? new Map<string, string>() : st.env, argv0: argv0 !== null || dash ? name : null };
      tryExecInPlace(attempt, main);
      if (fallback.length === 0) throw new Exit(0);
      return fallback;
    }
    // A virtual child has no process to exec in place: would the kernel run it?
    let path: string | null = null;
    if (lookup(main[0])) path = main[0];
    else {
      const r = resolveProgram(main[0], st.env);
      if (!('code' in r) && !execFormatError(r.path)) path = r.path;
    }
    if (path !== null) {
      let name = argv0 ?? main[0];
      if (dash) name = '-' + name;
      if (clear) st.env = new Map();
      const next = [path, ...main.slice(1)];
      st.argv0 = argv0 !== null || dash || path !== main[0] ? name : null;
      return next;
    }
    if (fallback.length === 0) throw new Exit(0);
    return fallback;
  },
});

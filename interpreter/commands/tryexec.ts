// tryexec: goes on with the block (with exec's -c, -l, -a), or with the rest of the line when the
// block's program cannot be executed; -n swaps the two.
import { defineCommand, options } from '../command/command.js';
import { readBlock } from '../command/block.js';
import { Exit, EXIT_USAGE, fatal } from '../command/errors.js';

export const tryexec = defineCommand({
  names: ['tryexec'],
  prog: 'tryexec',
  usage: 'tryexec [ -n ] [ -c ] [ -l ] [ -a argv0 ] { command... } remainder...',
  run(ctx, argv) {
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
    const block = readBlock(ctx, argv, index);
    const rest = argv.slice(block.next);
    if (not && rest.length === 0) fatal(this.prog, EXIT_USAGE, 'empty remainder not allowed with -n');
    const [main, fallback] = not ? [rest, block.argv] : [block.argv, rest];

    // Only the kernel can tell whether a program runs (a malformed ELF, a missing loader, a file
    // being written): in a block, the attempt is made by a process of its own.
    if (!ctx.isOurs(main[0])) {
      const real = ctx.realProcess(argv);
      if (real) return real;
    }
    let name = argv0 ?? main[0];
    if (dash) name = '-' + name;
    // The kernel is the judge (a foreign ELF that binfmt_misc runs, a file being written...): a
    // refusal leaves the process as it was.
    const next = ctx.tryExec(main, clear, argv0 !== null || dash ? name : null);
    if (next) return next;
    if (fallback.length === 0) throw new Exit(0);
    return fallback;
  },
});

// case: matches a value against regular expressions (or shell patterns with -s) and execs into the
// command line of the first one that matches, or into the rest of the line.
import { defineCommand, options } from '../command/command.js';
import { BlockUnterminated, readBlock, readNamedBlock } from '../command/block.js';
import { Exit, EXIT_USAGE, fatal, usage } from '../command/errors.js';
import { continueWith } from '../command/child.js';
import { compilePosix, EreError, execPosix, type PosixRegex } from '../toolkit/ere.js';
import { fnmatch } from '../toolkit/glob.js';

/** A matched command line; an empty one ends the process with 0, as an exec of nothing does. */
function execInto(argv: string[]): string[] {
  if (argv.length === 0) throw new Exit(0);
  return argv;
}

export const caseCommand = defineCommand({
  names: ['case'],
  prog: 'case',
  usage: 'case [ -s | -S ] [ -e | -E ] [ -n | -N ] [ -i ] value { re1 { prog1... } re2 { prog2... } ... } progdefault... ',
  run(ctx, argv) {
    const { opts, index } = options(this, argv, 'sSeEnNi');
    let shell = false;
    let extended = true;
    let nosub = true;
    let icase = false;
    for (const o of opts) {
      if (o.key === 's') shell = true;
      else if (o.key === 'S') shell = false;
      else if (o.key === 'e') extended = false;
      else if (o.key === 'E') extended = true;
      else if (o.key === 'N') nosub = false;
      else if (o.key === 'n') nosub = true;
      else icase = true;
    }
    if (argv.length - index < 2) usage(this.prog, this.usage);
    const value = argv[index];
    const block = readNamedBlock(ctx, argv, index + 1, 1, 'unterminated case block');
    const words = block.argv;
    let i = 0;
    while (i < words.length) {
      const expr = words[i++];
      if (i === words.length) fatal(this.prog, EXIT_USAGE, 'malformed case block');
      let inner: ReturnType<typeof readBlock>;
      try {
        inner = readBlock(ctx, words, i, 2);
      } catch (e) {
        if (e instanceof BlockUnterminated) fatal(this.prog, EXIT_USAGE, 'unterminated regex block');
        throw e;
      }
      if (shell) {
        if (fnmatch(expr, value, { noescape: !extended, period: icase, pathname: !nosub })) return execInto(inner.argv);
      } else {
        let re: PosixRegex;
        try {
          re = compilePosix(`^${expr}$`, { basic: !extended, icase, newline: true });
        } catch (e) {
          if (!(e instanceof EreError)) throw e;
          // The reference names the word after the expression here, not the expression.
          fatal(this.prog, EXIT_USAGE, `: unable to regcomp "^${inner.argv[0] ?? ''}$": ${e.message}`);
        }
        const m = execPosix(re, value);
        if (m) {
          if (nosub) return execInto(inner.argv);
          const modifs: Array<[string, string]> = [
            ['#', String(re.nsub)],
            ['0', expr],
          ];
          for (let g = 1; g <= re.nsub; g++) {
            const span = m[g];
            modifs.push([String(g), span ? value.slice(span[0], span[1]) : '']);
          }
          ctx.mergeEnv(modifs);
          return execInto(inner.argv);
        }
      }
      i = inner.next;
    }
    return continueWith(argv.slice(block.next));
  },
});

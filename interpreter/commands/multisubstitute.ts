// multisubstitute: runs the substitution directives of its block and substitutes them all at
// once, so that no value is substituted into another.
import { defineCommand } from '../command/command.js';
import { readBlock } from '../command/block.js';
import { EXIT_SYS, EXIT_USAGE, fatal, fatalSys, usage } from '../command/errors.js';
import {
  DirectiveError,
  defineDirective,
  elgetpositionalsDirective,
  importasDirective,
  multidefineDirective,
  substituteAndContinue,
  accumulator,
  type Accumulator,
  type Directive,
} from '../command/directives.js';
import { elglobDirective } from '../command/directives.js';

const DIRECTIVES: Record<string, Directive> = {
  define: defineDirective,
  importas: importasDirective,
  elglob: elglobDirective,
  elgetpositionals: elgetpositionalsDirective,
  multidefine: multidefineDirective,
};

export const multisubstitute = defineCommand({
  names: ['multisubstitute'],
  prog: 'multisubstitute',
  usage: 'see http://skarnet.org/software/execline/multisubstitute.html',
  run(ctx, argv) {
    if (argv.length < 2) usage(this.prog, this.usage);
    const block = readBlock(ctx, argv, 1);
    if (block.next >= argv.length) usage(this.prog, this.usage);
    const acc: Accumulator = accumulator();
    const dirs = block.argv;
    let i = 0;
    while (i < dirs.length) {
      const name = dirs[i];
      const fn = Object.hasOwn(DIRECTIVES, name) ? DIRECTIVES[name] : undefined;
      if (!fn) fatal(this.prog, EXIT_USAGE, `syntax error: unrecognized directive ${name}`);
      try {
        i += fn(ctx, dirs, i, acc);
      } catch (e) {
        if (!(e instanceof DirectiveError)) throw e;
        if (e.kind === 'usage') fatal(this.prog, EXIT_USAGE, `syntax error at directive ${name}`);
        if (e.kind === 'empty') fatal(this.prog, EXIT_SYS, `unknown error with directive ${name}`);
        if (e.kind === 'key') fatal(this.prog, EXIT_USAGE, `wrong key for directive ${name}`);
        if (e.kind === 'notset') fatal(this.prog, EXIT_USAGE, e.message);
        fatalSys(this.prog, EXIT_SYS, `run directive ${name}`, e.message);
      }
    }
    return substituteAndContinue(ctx, argv.slice(block.next), acc);
  },
});

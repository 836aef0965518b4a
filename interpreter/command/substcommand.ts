// The standalone substitution commands share one runner: run the directive at argv[0], map its
// failures to the reference's messages, substitute into the rest and continue.
import type { Context } from './context.js';
import type { Command } from './command.js';
import { EXIT_SYS, EXIT_USAGE, fatalDie, sysDie, usage } from './errors.js';
import { DirectiveError, accumulator, substituteAndContinue, type Accumulator, type Directive } from './directives.js';

export function runDirective(cmd: Command, directive: Directive, ctx: Context, argv: string[]): string[] {
  const acc: Accumulator = accumulator();
  let used: number;
  try {
    used = directive(ctx, argv, 0, acc);
  } catch (e) {
    if (!(e instanceof DirectiveError)) throw e;
    switch (e.kind) {
      case 'usage':
        return usage(cmd.prog, cmd.usage);
      case 'key':
        throw fatalDie(cmd.prog, EXIT_SYS, 'bad substitution key');
      case 'empty':
        throw fatalDie(cmd.prog, EXIT_USAGE, 'empty block');
      case 'notset':
        throw fatalDie(cmd.prog, EXIT_USAGE, e.message);
      default:
        throw sysDie(cmd.prog, EXIT_SYS, 'complete exlsn function', e.message);
    }
  }
  return substituteAndContinue(ctx, argv.slice(used), acc);
}

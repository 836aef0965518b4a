// elglob: substitutes the paths matching a shell pattern (glob(3)) for a key, one word each.
import { defineCommand } from '../command/command.js';
import { elglobDirective } from '../command/directives.js';
import { runDirective } from '../command/substcommand.js';

export const elglob = defineCommand({
  names: ['elglob'],
  prog: 'elglob',
  usage: 'elglob [ -v ] [ -w ] [ -s ] [ -m ] [ -e ] [ -0 ] key pattern prog...',
  run(ctx, argv) {
    return runDirective(this, elglobDirective, ctx, argv);
  },
});

// elgetpositionals: substitutes the positional parameters found in the environment.
import { defineCommand } from '../command/command.js';
import { elgetpositionalsDirective } from '../command/directives.js';
import { runDirective } from '../command/substcommand.js';

export const elgetpositionals = defineCommand({
  names: ['elgetpositionals'],
  prog: 'elgetpositionals',
  usage: 'elgetpositionals [ -P num ] prog...',
  run(ctx, argv) {
    return runDirective(this, elgetpositionalsDirective, ctx, argv);
  },
});

// elgetpositionals: substitutes the positional parameters found in the environment.
import { defineCommand } from '../command.js';
import { elgetpositionalsDirective } from '../directives.js';
import { runDirective } from '../substcommand.js';

export const elgetpositionals = defineCommand({
  names: ['elgetpositionals'],
  prog: 'elgetpositionals',
  usage: 'elgetpositionals [ -P num ] prog...',
  run(st, argv) {
    return runDirective(this, elgetpositionalsDirective, st, argv);
  },
});

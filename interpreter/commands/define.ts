// define: substitutes a literal value for a key in the rest of the command line.
import { defineCommand } from '../command/command.js';
import { defineDirective } from '../command/directives.js';
import { runDirective } from '../command/substcommand.js';

export const define = defineCommand({
  names: ['define'],
  prog: 'define',
  usage: 'define [ -N | -n ] [ -s ] [ -C | -c ] [ -d delim ] key value prog...',
  run(ctx, argv) {
    return runDirective(this, defineDirective, ctx, argv);
  },
});

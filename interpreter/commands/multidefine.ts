// multidefine: splits a value and substitutes its words for the keys listed in a block.
import { defineCommand } from '../command/command.js';
import { multidefineDirective } from '../command/directives.js';
import { runDirective } from '../command/substcommand.js';

export const multidefine = defineCommand({
  names: ['multidefine'],
  prog: 'multidefine',
  usage: 'multidefine [ -0 ] [ -r ] [ -N | -n ] [ -C | -c ] [ -d delim ] value { vars... } prog...',
  run(ctx, argv) {
    return runDirective(this, multidefineDirective, ctx, argv);
  },
});

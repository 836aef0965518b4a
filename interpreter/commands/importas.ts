// importas: substitutes the value of an environment variable for a key.
import { defineCommand } from '../command/command.js';
import { importasDirective } from '../command/directives.js';
import { runDirective } from '../command/substcommand.js';

export const importas = defineCommand({
  names: ['importas'],
  prog: 'importas',
  usage: 'importas [ -i | -D default ] [ -u ] [ -N | -n ] [ -s ] [ -C | -c ] [ -d delim ] key var prog...',
  run(ctx, argv) {
    return runDirective(this, importasDirective, ctx, argv);
  },
});

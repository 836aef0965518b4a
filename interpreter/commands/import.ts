// import: the pre-2.x form still found in s6-overlay v2 images; `import VAR` is `importas VAR VAR`.
import { defineCommand } from '../command/command.js';
import { importDirectiveOld } from '../command/directives.js';
import { runDirective } from '../command/substcommand.js';

export const importCmd = defineCommand({
  names: ['import'],
  prog: 'import',
  usage: 'import [ -i | -D default ] [ -u ] [ -N | -n ] [ -s ] [ -C | -c ] [ -d delim ] var prog...',
  run(ctx, argv) {
    return runDirective(this, importDirectiveOld, ctx, argv);
  },
});

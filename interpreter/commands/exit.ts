// exit: ends the process with an exit code (0 by default; taken modulo 256).
import { defineCommand } from '../command/command.js';
import { Exit, usage } from '../command/errors.js';
import { uint0Scan } from '../toolkit/numbers.js';

export const exit = defineCommand({
  names: ['exit'],
  prog: 'exit',
  usage: 'exit [ exitcode ]',
  run(_ctx, argv) {
    if (argv.length < 2) throw new Exit(0);
    const n = uint0Scan(argv[1]);
    if (n === null) usage(this.prog, this.usage);
    throw new Exit(n & 255);
  },
});

// fdclose: closes fd N for the program (closing a closed fd is not an error).
import { defineCommand } from '../interpreter/command/command.js';
import { usage } from '../interpreter/command/errors.js';
import { uint0Scan } from '../interpreter/toolkit/numbers.js';

export const fdclose = defineCommand({
  names: ['fdclose'],
  prog: 'fdclose',
  usage: 'fdclose fd prog...',
  run(ctx, argv) {
    if (argv.length < 3) usage(this.prog, this.usage);
    const fd = uint0Scan(argv[1]);
    if (fd === null) usage(this.prog, this.usage);
    ctx.setFd(fd, null);
    return argv.slice(2);
  },
});

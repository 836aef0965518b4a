// homeof: prints the home directory of a user, read from /etc/passwd as the s6 tools do.
import { defineCommand } from '../command/command.js';
import { Exit, EXIT_SYS, fatal, fatalSys, usage, writeStdout } from '../command/errors.js';
import { homeOf } from '../toolkit/accounts.js';

export const homeof = defineCommand({
  names: ['homeof'],
  prog: 'homeof',
  usage: 'homeof user',
  run(ctx, argv) {
    if (argv.length < 2) usage(this.prog, this.usage);
    const user = argv[1];
    let home: string | null;
    try {
      home = homeOf(user);
    } catch (e) {
      fatalSys(this.prog, EXIT_SYS, `get passwd entry for ${user}`, e);
    }
    if (home === null) fatal(this.prog, EXIT_SYS, `: unable to get passwd entry for ${user}: no such user`);
    writeStdout(this.prog, ctx.realFd(1), home + '\n');
    throw new Exit(0);
  },
});

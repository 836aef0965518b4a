// homeof: prints the home directory of a user, read from /etc/passwd as the s6 tools do.
import { readFileSync } from 'node:fs';
import { defineCommand } from '../command/command.js';
import { Die, Exit, fatal, strerror, usage, writeStdout } from '../command/errors.js';
import { realFd } from '../runtime/state.js';

/** The home directory field of the first /etc/passwd entry named `user`, or null. */
export function homeOf(user: string, file = '/etc/passwd'): string | null {
  const text = readFileSync(file).toString('latin1');
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length >= 7 && f[0] === user && user !== '') return f[5];
  }
  return null;
}

export const homeof = defineCommand({
  names: ['homeof'],
  prog: 'homeof',
  usage: 'homeof user',
  run(st, argv) {
    if (argv.length < 2) usage(this.prog, this.usage);
    const user = argv[1];
    let home: string | null;
    try {
      home = homeOf(user);
    } catch (e) {
      fatal(this.prog, 111, 'unable to get passwd entry for ', user, ': ', strerror(e));
    }
    if (home === null) throw new Die(111, `${this.prog}: fatal: : unable to get passwd entry for ${user}: no such user`);
    writeStdout(this.prog, realFd(st, 1), home + '\n');
    throw new Exit(0);
  },
});

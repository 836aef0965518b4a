// s6-setuidgid: runs a program as an account (name, or uid:gid), by way of s6-envuidgid and
// s6-applyuidgid, as the reference rewrites its command line into them.
import { defineCommand } from '../interpreter/command/command.js';
import { usage } from '../interpreter/command/errors.js';

export const s6setuidgid = defineCommand({
  names: ['s6-setuidgid'],
  prog: 's6-setuidgid',
  usage: 's6-setuidgid username prog...',
  run(_ctx, argv) {
    if (argv.length < 3) usage(this.prog, this.usage);
    const account = argv[1];
    const rest = argv.slice(2);
    if (account === '') return rest;
    const colon = account.indexOf(':');
    if (colon >= 0) return ['s6-applyuidgid', '-u', account.slice(0, colon), '-g', account.slice(colon + 1), '-G', '', '--', ...rest];
    return ['s6-envuidgid', account, 's6-applyuidgid', '-Uz', '--', ...rest];
  },
});

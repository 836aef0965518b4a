// s6-envuidgid: looks an account up in /etc/passwd and /etc/group and exports UID, GID and GIDLIST.
import { defineCommand, options } from '../interpreter/command/command.js';
import { fatal, usage } from '../interpreter/command/errors.js';
import { getgrnam, getpwnam, supplementaryGroups } from '../interpreter/toolkit/accounts.js';
import { scanList, scanPrefix } from '../interpreter/toolkit/numbers.js';

/** -D uid:gid:gidlist, each part optional (missing means 0 / empty); null on bad syntax. */
function scanDefaults(s: string): { uid: number; gid: number; list: number[] } | null {
  const d = { uid: 0, gid: 0, list: [] as number[] };
  let i = 0;
  const [u, un] = scanPrefix(s, i);
  if (!un && s[i] !== ':') return null;
  d.uid = u;
  i += un;
  if (i >= s.length) return d;
  if (s[i++] !== ':') return null;
  if (i >= s.length) return d;
  const [g, gn] = scanPrefix(s, i);
  if (!gn && s[i] !== ':') return null;
  d.gid = g;
  i += gn;
  if (i >= s.length) return d;
  if (s[i++] !== ':') return null;
  if (i >= s.length) return d;
  const l = scanList(s.slice(i));
  if (!l.length) return null;
  d.list = l.list;
  return d;
}

export const s6envuidgid = defineCommand({
  names: ['s6-envuidgid'],
  prog: 's6-envuidgid',
  usage: 's6-envuidgid [ -i | -D defaultuid:defaultgid:defaultgidlist ] [ -u | -g | -B ] [ -n ] account prog...',
  run(ctx, argv) {
    const { opts, index } = options(this, argv, 'ugBniD:');
    let what = 7; // 1 = user, 2 = group, 4 = group list
    let numeric = false;
    let insist = true;
    let uid = 0;
    let gid = 0;
    let list: number[] = [];
    for (const o of opts) {
      switch (o.key) {
        case 'u':
          what = 1;
          break;
        case 'g':
          what = 2;
          break;
        case 'B':
          what = 3;
          break;
        case 'n':
          what &= 3;
          numeric = true;
          break;
        case 'i':
          insist = true;
          break;
        case 'D': {
          const d = scanDefaults(o.arg);
          if (!d) usage(this.prog, this.usage);
          ({ uid, gid, list } = d);
          insist = false;
          break;
        }
      }
    }
    if (argv.length - index < 2) usage(this.prog, this.usage);
    const account = argv[index];
    let user: string | null = null;
    let group: string | null = null;
    if (what === 2) group = account;
    else if (what === 3) {
      const colon = account.indexOf(':');
      user = account;
      if (colon >= 0) {
        user = colon === 0 ? null : account.slice(0, colon);
        group = account.slice(colon + 1) || null;
      }
    } else user = account;
    if (group !== null) {
      const gr = getgrnam(group);
      const [n, len] = scanPrefix(group);
      if (gr) gid = gr.gid;
      else if (numeric && len) gid = n;
      else if (insist) fatal(this.prog, 1, `unknown group: ${group}`);
    }
    if (user !== null) {
      const pw = getpwnam(user);
      const [n, len] = scanPrefix(user);
      if (pw) {
        uid = pw.uid;
        if (what === 7) {
          list = supplementaryGroups(account);
          gid = pw.gid;
        }
      } else if (numeric && len) uid = n;
      else if (insist) fatal(this.prog, 1, `unknown user: ${user}`);
    }
    if (what & 1) ctx.setEnv('UID', String(uid));
    if (what & 2) ctx.setEnv('GID', String(gid));
    if (what & 4) ctx.setEnv('GIDLIST', list.join(','));
    return argv.slice(index + 1);
  },
});

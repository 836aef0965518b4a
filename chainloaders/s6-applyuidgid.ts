// s6-applyuidgid: sets the program's uid, gid and supplementary groups (0 = leave as is), in the
// order setgroups, setgid, setuid; what the process could not do (not root any more) fails here,
// before anything runs.
import { defineCommand, options } from '../interpreter/command/command.js';
import { EXIT_SYS, fatal, fatalSys, usage } from '../interpreter/command/errors.js';
import { scanList, uint0Scan } from '../interpreter/toolkit/numbers.js';

export const s6applyuidgid = defineCommand({
  names: ['s6-applyuidgid'],
  prog: 's6-applyuidgid',
  usage: 's6-applyuidgid [ -z ] [ -u uid ] [ -g gid ] [ -G gidlist ] [ -U ] prog...',
  run(ctx, argv) {
    const { opts, index } = options(this, argv, 'zUu:g:G:');
    let uid = 0;
    let gid = 0;
    let list: number[] | null = null;
    let unexport = false;
    const die = (code: number, msg: string): never => fatal(this.prog, code, msg);
    for (const o of opts) {
      switch (o.key) {
        case 'z':
          unexport = true;
          break;
        case 'u': {
          const v = uint0Scan(o.arg);
          if (v === null) usage(this.prog, this.usage);
          uid = v;
          break;
        }
        case 'g': {
          const v = uint0Scan(o.arg);
          if (v === null) usage(this.prog, this.usage);
          gid = v;
          break;
        }
        case 'G': {
          const l = scanList(o.arg);
          if (!l.length && o.arg !== '') usage(this.prog, this.usage);
          list = l.list;
          break;
        }
        case 'U': {
          const get = (k: string) => {
            const v = ctx.env.get(k);
            if (v === undefined) die(100, `${k} not set`);
            return v as string;
          };
          const u = uint0Scan(get('UID'));
          if (u === null) die(100, 'invalid $UID');
          uid = u as number;
          const g = uint0Scan(get('GID'));
          if (g === null) die(100, 'invalid $GID');
          gid = g as number;
          const x = get('GIDLIST');
          const l = scanList(x);
          if (!l.length && x !== '') die(100, 'invalid $GIDLIST');
          list = l.list;
          break;
        }
      }
    }
    if (index >= argv.length) usage(this.prog, this.usage);
    // In the order the reference makes the calls; the main chain takes the credentials at once
    // (the commands after this one, and their file accesses, run as the new user), a block's
    // are taken when its process is made (Context.setGroups).
    try {
      if (list !== null) {
        const primary = gid || ctx.identity().egid;
        ctx.setGroups(list.includes(primary) ? list.slice() : [primary, ...list]);
      }
    } catch (e) {
      fatalSys(this.prog, EXIT_SYS, 'set supplementary group list', e);
    }
    try {
      if (gid) ctx.setGid(gid);
    } catch (e) {
      fatalSys(this.prog, EXIT_SYS, 'setgid', e);
    }
    try {
      if (uid) ctx.setUid(uid);
    } catch (e) {
      fatalSys(this.prog, EXIT_SYS, 'setuid', e);
    }
    if (unexport)
      ctx.mergeEnv([
        ['UID', null],
        ['GID', null],
        ['GIDLIST', null],
      ]);
    return argv.slice(index);
  },
});

// s6-applyuidgid: sets the program's uid, gid and supplementary groups (0 = leave as is). The
// change is recorded in the state and applied right before exec, in the order setgroups, setgid,
// setuid; what the process could not do (not root any more) fails here, before anything runs.
import { defineCommand, options } from '../interpreter/command/command.js';
import { EXIT_SYS, fatal, fatalSys, usage } from '../interpreter/command/errors.js';
import { scanList, uint0Scan } from '../interpreter/toolkit/numbers.js';
import type { State } from '../interpreter/runtime/state.js';
import { mergeEnv } from '../interpreter/runtime/env.js';
import { lookup, selfArgv } from '../interpreter/runtime/trampoline.js';

/** The credentials the program would have at this point of the chain. */
function current(st: State): { uid: number; gid: number } {
  return { uid: st.creds?.uid ?? process.geteuid!(), gid: st.creds?.gid ?? process.getegid!() };
}

export const s6applyuidgid = defineCommand({
  names: ['s6-applyuidgid'],
  prog: 's6-applyuidgid',
  usage: 's6-applyuidgid [ -z ] [ -u uid ] [ -g gid ] [ -G gidlist ] [ -U ] prog...',
  run(st, argv) {
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
            const v = st.env.get(k);
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
    if (!st.virtual) {
      // The main chain: take the credentials now, as the reference does, so that the commands
      // after this one (and their file accesses) run as the new user too.
      try {
        if (list !== null) {
          const primary = gid || process.getegid!();
          if (primary > 0xfffffffe || list.some((g) => g > 0xfffffffe)) throw Object.assign(new Error('EINVAL'), { code: 'EINVAL' });
          process.setgroups!(list.includes(primary) ? list.slice() : [primary, ...list]);
        }
      } catch (e) {
        fatalSys(this.prog, EXIT_SYS, 'set supplementary group list', e);
      }
      try {
        if (gid) process.setgid!(gid);
      } catch (e) {
        fatalSys(this.prog, EXIT_SYS, 'setgid', e);
      }
      try {
        if (uid) process.setuid!(uid);
      } catch (e) {
        fatalSys(this.prog, EXIT_SYS, 'setuid', e);
      }
      if (unexport)
        mergeEnv(st, [
          ['UID', null],
          ['GID', null],
          ['GIDLIST', null],
        ]);
      return argv.slice(index);
    }
    // A virtual child: record the change; it is applied in the child process before exec.
    const now = current(st);
    const creds = { ...(st.creds ?? {}) };
    if (list !== null) {
      const primary = gid || now.gid;
      const groups = list.includes(primary) ? list.slice() : [primary, ...list];
      if (now.uid !== 0) fatalSys(this.prog, EXIT_SYS, 'set supplementary group list', 'EPERM');
      if (groups.some((g) => g > 0xfffffffe)) fatalSys(this.prog, EXIT_SYS, 'set supplementary group list', 'EINVAL');
      creds.groups = groups;
    }
    if (gid) {
      const realGid = st.creds?.gid ?? process.getgid!();
      if (now.uid !== 0 && gid !== realGid) fatalSys(this.prog, EXIT_SYS, 'setgid', 'EPERM');
      creds.gid = gid;
    }
    if (uid) {
      if (now.uid !== 0 && uid !== now.uid) fatalSys(this.prog, EXIT_SYS, 'setuid', 'EPERM');
      creds.uid = uid;
    }
    st.creds = creds;
    if (unexport)
      mergeEnv(st, [
        ['UID', null],
        ['GID', null],
        ['GIDLIST', null],
      ]);
    const rest = argv.slice(index);
    // More of our commands follow: they must run as the new user too (their file accesses), so
    // the rest of the block becomes a real process (a Node child) with the credentials applied.
    if (lookup(rest[0])) return selfArgv(rest);
    return rest;
  },
});

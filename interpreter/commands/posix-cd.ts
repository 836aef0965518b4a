// posix-cd: the POSIX cd utility as a chain loader: -L (default) follows $PWD logically, -P
// resolves symlinks; no dir means $HOME, "-" means $OLDPWD; CDPATH is searched; OLDPWD and PWD
// are exported; then it runs the rest, if any. Quirk kept from the reference: when CDPATH is set
// and no entry holds the directory, the last CDPATH candidate is the one it tries to enter.
import { statSync } from 'node:fs';
import { defineCommand, options } from '../command/command.js';
import { toBuffer } from '../language/bytes.js';
import { Exit, EXIT_SYS, fatalSys, usage, writeStdout } from '../command/errors.js';

function isDir(path: string): boolean {
  try {
    return statSync(toBuffer(path), { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false;
  }
}

/** Whether POSIX skips CDPATH for this operand: absolute, or starting with . or .. as a component. */
function skipsCdpath(dir: string): boolean {
  return dir[0] === '/' || dir === '.' || dir === '..' || dir.startsWith('./') || dir.startsWith('../');
}

/** The CDPATH candidates in order: "entry/dir", or "./dir" for an empty entry (not a final one). */
function cdpathCandidates(cdpath: string, dir: string): string[] {
  const out: string[] = [];
  let pos = 0;
  while (pos < cdpath.length) {
    let end = cdpath.indexOf(':', pos);
    if (end < 0) end = cdpath.length;
    const entry = cdpath.slice(pos, end);
    out.push(entry === '' ? `./${dir}` : entry.endsWith('/') ? entry + dir : `${entry}/${dir}`);
    pos = end + 1;
  }
  return out;
}

/**
 * Removes . and .. lexically as skalibs' path_canonicalize(..., 1) does: each directory left by a
 * ".." must exist (else `problem` names it with its error). A relative path keeps the ".."s it
 * cannot remove; an empty relative result is ".".
 */
function canonicalize(path: string): { path: string } | { problem: string; error: unknown } {
  const abs = path[0] === '/';
  const parts: string[] = [];
  let depth = 0;
  for (const c of path.split('/')) {
    if (c === '' || c === '.') continue;
    if (c !== '..') {
      parts.push(c);
      depth++;
    } else if (depth > 0) {
      const left = (abs ? '/' : '') + parts.join('/');
      try {
        if (!statSync(toBuffer(left)).isDirectory()) return { problem: left, error: { code: 'ENOTDIR' } };
      } catch (e) {
        return { problem: left, error: e };
      }
      parts.pop();
      depth--;
    } else if (!abs) {
      parts.push('..');
    }
  }
  const s = (abs ? '/' : '') + parts.join('/');
  return { path: s === '' ? '.' : s };
}

export const posixCd = defineCommand({
  names: ['posix-cd'],
  prog: 'posix-cd',
  usage: 'posix-cd [ -L | -P ] [ - | path ] [ prog... ]',
  run(ctx, argv) {
    const { opts, index } = options(this, argv, 'LP');
    const physical = opts.length > 0 && opts[opts.length - 1].key === 'P';
    let rest = argv.slice(index);
    let where: string | undefined;
    let printDir = false;
    if (rest.length === 0) where = ctx.env.get('HOME');
    else {
      where = rest[0];
      rest = rest.slice(1);
      if (where === '-') {
        where = ctx.env.get('OLDPWD');
        printDir = true;
      }
    }
    if (!where) usage(this.prog, this.usage);

    let target = where;
    const cdpath = ctx.env.get('CDPATH');
    if (cdpath !== undefined && !skipsCdpath(where)) {
      const candidates = cdpathCandidates(cdpath, where);
      const hit = candidates.find(isDir);
      if (hit !== undefined) {
        target = hit;
        printDir = true;
      } else if (candidates.length) {
        target = candidates[candidates.length - 1];
      }
    }

    const getcwd = () => {
      try {
        return ctx.cwd();
      } catch (e) {
        return fatalSys(this.prog, EXIT_SYS, 'getcwd', e);
      }
    };
    ctx.setEnv('OLDPWD', getcwd());

    if (!physical) {
      const pwd = ctx.env.get('PWD');
      if (pwd !== undefined && target[0] !== '/') target = pwd + (pwd !== '' && !pwd.endsWith('/') ? '/' : '') + target;
      const c = canonicalize(target);
      if (!('path' in c)) fatalSys(this.prog, EXIT_SYS, `canonicalize ${target}: problem with ${c.problem}`, c.error);
      target = c.path;
      ctx.setEnv('PWD', target);
    }
    try {
      ctx.chdir(target);
    } catch (e) {
      fatalSys(this.prog, EXIT_SYS, `chdir to ${where}`, e);
    }
    if (physical) {
      target = getcwd();
      ctx.setEnv('PWD', target);
    }
    if (printDir) {
      writeStdout(this.prog, ctx.realFd(1), target + '\n');
    }
    if (rest.length === 0) throw new Exit(0);
    return rest;
  },
});

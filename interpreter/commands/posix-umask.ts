// posix-umask: the POSIX umask utility as a chain loader: with no mask it prints the umask
// (octal, or symbolic with -S); with a mask (octal, or symbolic like u=rwx,g=rx,o=) it sets it
// and runs the rest, if any.
import { defineCommand, options } from '../command/command.js';
import { Exit, fatal, writeStdout } from '../command/errors.js';
import { uint0Oscan } from '../toolkit/numbers.js';

/** The umask as `umask -S` shows it: the permissions it lets through. */
function symbolic(mask: number): string {
  const who = ['u', 'g', 'o'];
  return who
    .map((w, i) => {
      const allowed = ~(mask >> (3 * (2 - i))) & 7;
      return `${w}=${allowed & 4 ? 'r' : ''}${allowed & 2 ? 'w' : ''}${allowed & 1 ? 'x' : ''}`;
    })
    .join(',');
}

const WHO: Record<string, number> = { u: 4, g: 2, o: 1, a: 7 };
const PERM: Record<string, number> = { r: 4, w: 2, x: 1, X: 1, s: 0, t: 0 };
/** Index in `modes` (o, g, u) of a who letter. */
const SLOT: Record<string, number> = { o: 0, g: 1, u: 2 };

/**
 * Applies a symbolic mode to the permissions the umask lets through, as the reference reads it:
 * clauses [who...] op [perms | one who to copy] (op perms...)..., separated by commas. A clause
 * is applied when its perms (or copied who) end it, so "o=" alone at the end changes nothing,
 * while a bare "=" (who defaults to all) clears everything. Returns null for an invalid string.
 */
function applySymbolic(s: string, allowed: number): number | null {
  const modes = [allowed & 7, (allowed >> 3) & 7, (allowed >> 6) & 7];
  let who = 0;
  let perm = 0;
  let op = '';
  let state: 'start' | 'who' | 'op' | 'copy' | 'perm' = 'start';
  const apply = () => {
    for (let i = 0; i < 3; i++) {
      if (!(who & (1 << i))) continue;
      if (op === '-') modes[i] &= ~perm;
      else if (op === '+') modes[i] |= perm;
      else modes[i] = perm;
    }
  };
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s[i] : '';
    const isOp = c === '+' || c === '-' || c === '=';
    const isWho = c === 'u' || c === 'g' || c === 'o';
    const isPerm = c !== '' && c in PERM;
    switch (state) {
      case 'start':
        if (c === '' || c === ',') continue;
        if (isOp) {
          who = 7;
          op = c;
          state = 'perm';
        } else if (isWho || c === 'a') {
          who |= WHO[c];
          state = 'who';
        } else return null;
        break;
      case 'who':
        if (c === '') continue;
        if (isOp) {
          op = c;
          state = 'op';
        } else if (isWho || c === 'a') who |= WHO[c];
        else return null;
        break;
      case 'op':
        if (c === '') continue;
        if (c === ',') {
          who = 0;
          state = 'start';
        } else if (isOp) op = c;
        else if (isWho) {
          perm = modes[SLOT[c]];
          state = 'copy';
        } else if (isPerm) {
          perm |= PERM[c];
          state = 'perm';
        } else return null;
        break;
      case 'copy':
      case 'perm':
        if (c === '' || c === ',' || isOp) {
          apply();
          perm = 0;
          if (c === ',') {
            who = 0;
            state = 'start';
          } else if (isOp) {
            op = c;
            state = 'op';
          }
        } else if (state === 'perm' && isPerm) perm |= PERM[c];
        else return null;
        break;
    }
  }
  return (modes[2] << 6) | (modes[1] << 3) | modes[0];
}

export const posixUmask = defineCommand({
  names: ['posix-umask'],
  prog: 'posix-umask',
  usage: 'posix-umask [ -S ] [ mask ] [ prog... ]',
  run(ctx, argv) {
    const { opts, index } = options(this, argv, 'S');
    if (index >= argv.length) {
      const mask = ctx.umask();
      const text = opts.length ? symbolic(mask) : mask.toString(8).padStart(4, '0');
      writeStdout(this.prog, ctx.realFd(1), text + '\n');
      throw new Exit(0);
    }
    let mask = uint0Oscan(argv[index]);
    if (mask === null) {
      const mode = applySymbolic(argv[index], ~ctx.umask() & 0o777);
      if (mode === null) fatal(this.prog, 1, 'invalid mode string');
      mask = ~mode;
    }
    ctx.setUmask(mask);
    const rest = argv.slice(index + 1);
    if (rest.length === 0) throw new Exit(0);
    return rest;
  },
});

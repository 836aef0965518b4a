// eltest (and its legacy name s6-test): evaluates a test(1) expression, exits 0 if true, 1 if false.
// Words that spell an operator are always operators; a leading backslash makes a word data. The
// expression is read by a shift-reduce parser whose errors name the same argument as the
// reference: "!" binds tightest, then -a, then -o, both left to right, with parentheses.
import { MODE } from '../platform/linux.js';
import type { Context } from '../command/context.js';
import { accessSync, constants, lstatSync, statSync, type BigIntStats } from 'node:fs';
import { defineCommand, type Command } from '../command/command.js';
import { toBuffer } from '../language/bytes.js';
import { compileEre, EreError } from '../toolkit/ere.js';
import { Exit, EXIT_USAGE, fatal } from '../command/errors.js';
import { intScan, uint0Scan } from '../toolkit/numbers.js';

/** What a word is to the parser. The last four are what reductions turn the stack into. */
const enum K {
  Word,
  End,
  Unary,
  Binary,
  LParen,
  RParen,
  Not,
  And,
  Or,
  Primary, // an operand with its "!"s applied
  Conj, // a chain of -a
  Disj, // a chain of -o
  Expr, // a complete expression, waiting for its ")"
}

const UNARY = new Set([
  '-n',
  '-z',
  '-f',
  '-h',
  '-L',
  '-e',
  '-k',
  '-b',
  '-c',
  '-d',
  '-g',
  '-p',
  '-r',
  '-s',
  '-t',
  '-u',
  '-w',
  '-x',
  '-O',
  '-U',
  '-G',
  '-S',
  '-N',
  '-v',
]);
const BINARY = new Set(['=', '!=', '-eq', '-ne', '-gt', '-ge', '-lt', '-le', '-nt', '-ot', '-ef', '<', '<=', '>', '>=', '=~']);

/** A node of the expression tree. `op` is the operator word ('' for a bare word). */
interface Node {
  op: string;
  /** The word itself (after removing a leading backslash, for data). */
  text: string;
  a?: Node;
  b?: Node;
}

interface Item {
  kind: K;
  node: Node;
}

function kindOf(w: string): K {
  if (UNARY.has(w)) return K.Unary;
  if (BINARY.has(w)) return K.Binary;
  switch (w) {
    case '(':
      return K.LParen;
    case ')':
      return K.RParen;
    case '!':
      return K.Not;
    case '-a':
      return K.And;
    case '-o':
      return K.Or;
    default:
      return K.Word;
  }
}

/** Kinds after which an operand may start (a word, a unary operator, "!" or "("). */
const OPERAND_MAY_FOLLOW = new Set([K.End, K.LParen, K.Not, K.And, K.Or]);

type Action = 'shift' | 'accept' | 'atom' | 'paren' | 'and' | 'or' | 'expr' | 'error';

/** What to do with the lookahead `next` when `top` is on top of the stack. */
function decide(next: K, top: K): Action {
  switch (next) {
    case K.Word:
      return OPERAND_MAY_FOLLOW.has(top) || top === K.Unary || top === K.Binary ? 'shift' : 'error';
    case K.Unary:
    case K.LParen:
    case K.Not:
      return OPERAND_MAY_FOLLOW.has(top) ? 'shift' : 'error';
    case K.Binary:
      return top === K.Word ? 'shift' : 'error';
    case K.End:
      return top === K.RParen ? 'accept' : 'error';
    default: {
      // ")", "-a", "-o": reduce what is on the stack as far as this operator requires.
      if (top === K.Word) return 'atom';
      if (top === K.RParen) return 'paren';
      if (top === K.Primary) return 'and';
      if (top === K.Conj) return next === K.And ? 'shift' : 'or';
      if (top === K.Disj) return next === K.Or ? 'shift' : next === K.RParen ? 'expr' : 'error';
      if (top === K.Expr) return next === K.RParen ? 'shift' : 'error';
      return 'error';
    }
  }
}

/** Parses the words into a tree, or dies with the reference's message. */
function parse(prog: string, words: readonly string[]): Node {
  const die = (msg: string): never => fatal(prog, EXIT_USAGE, msg);
  const items: Item[] = words.map((w) => {
    const kind = kindOf(w);
    return { kind, node: { op: kind === K.Word ? '' : w, text: kind === K.Word && w[0] === '\\' ? w.slice(1) : w } };
  });
  // The whole expression is closed by an implicit ")", then the end.
  items.push({ kind: K.RParen, node: { op: ')', text: ')' } }, { kind: K.End, node: { op: '', text: '' } });
  const stack: Item[] = [{ kind: K.End, node: { op: '', text: '' } }];
  const top = () => stack[stack.length - 1];
  const under = (n: number) => stack[stack.length - 1 - n];
  /** Applies the "!"s waiting under the operand on top. */
  const foldNots = () => {
    top().kind = K.Primary;
    while (under(1).kind === K.Not) {
      const operand = stack.pop() as Item;
      top().node.a = operand.node;
      top().kind = K.Primary;
    }
  };
  let pos = 0;
  for (;;) {
    const next = items[pos];
    const action = decide(next.kind, top().kind);
    switch (action) {
      case 'error':
        return die(`parse error at argument ${pos}`);
      case 'accept':
        if (stack.length !== 3) die('parse error: too many left parentheses');
        return stack[1].node;
      case 'shift':
        stack.push(next);
        pos++;
        break;
      case 'atom': {
        const below = under(1);
        if (below.kind === K.Unary) {
          below.node.a = (stack.pop() as Item).node;
        } else if (below.kind === K.Binary) {
          const right = stack.pop() as Item;
          const op = stack.pop() as Item;
          const left = stack.pop() as Item;
          op.node.a = left.node;
          op.node.b = right.node;
          stack.push(op);
        }
        foldNots();
        break;
      }
      case 'paren': {
        if (under(2).kind !== K.LParen) die(`parse error: bad right parenthesis at argument ${pos}`);
        stack.pop();
        const inner = stack.pop() as Item;
        stack.pop();
        stack.push(inner);
        foldNots();
        break;
      }
      case 'and':
      case 'or': {
        // Primary -> Conj, joining "Conj -a Primary"; Conj -> Disj, joining "Disj -o Conj".
        const joiner = action === 'and' ? K.And : K.Or;
        if (under(1).kind === joiner) {
          const right = stack.pop() as Item;
          const op = stack.pop() as Item;
          op.node.a = (stack.pop() as Item).node;
          op.node.b = right.node;
          stack.push(op);
        }
        top().kind = action === 'and' ? K.Conj : K.Disj;
        break;
      }
      case 'expr':
        top().kind = K.Expr;
        break;
    }
  }
}

/** stat(2) or lstat(2), or null on any error. */
function stat(path: string, link = false): BigIntStats | null {
  try {
    const b = toBuffer(path);
    return (link ? lstatSync(b, { bigint: true }) : statSync(b, { bigint: true, throwIfNoEntry: false })) ?? null;
  } catch {
    return null;
  }
}

/** access(2) for the identity the program will run as (pending s6-setuidgid credentials). */
function access(ctx: Context, path: string, mode: number): boolean {
  const id = ctx.identity();
  if (!id.uidPending) {
    try {
      accessSync(toBuffer(path), mode);
      return true;
    } catch {
      return false;
    }
  }
  const s = stat(path);
  if (!s) return false;
  if (mode === constants.F_OK) return true;
  const m = Number(s.mode);
  if (id.uid === 0) return mode & constants.X_OK ? (m & 0o111) !== 0 || (m & MODE.IFMT) === MODE.IFDIR : true;
  const groups = id.groups ?? [];
  const shift = Number(s.uid) === id.uid ? 6 : Number(s.gid) === id.gid || groups.includes(Number(s.gid)) ? 3 : 0;
  return ((m >> shift) & mode) === mode;
}

/** glibc getenv on the state's environment ("A=b" finds an entry A=b=...). */
function getenv(ctx: Context, name: string): boolean {
  if (name === '') return false;
  const eq = name.indexOf('=');
  if (eq < 0) return ctx.env.has(name);
  const v = ctx.env.get(name.slice(0, eq));
  return v?.startsWith(name.slice(eq + 1) + '=') === true;
}

/** Whole seconds of a timestamp: the reference compares times to the second (-N, -nt, -ot). */
const sec = (ns: bigint) => (ns - (((ns % 1000000000n) + 1000000000n) % 1000000000n)) / 1000000000n;

const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

function evaluate(prog: string, ctx: Context, n: Node): boolean {
  const a = n.a?.text ?? '';
  const b = n.b?.text ?? '';
  const file = (test: (s: BigIntStats) => boolean, link = false) => {
    const s = stat(a, link);
    return s !== null && test(s);
  };
  const ints = (test: (x: number, y: number) => boolean) => {
    const x = intScan(a);
    const y = x === null ? null : intScan(b);
    if (x === null || y === null) fatal(prog, EXIT_USAGE, `${n.op} requires integer arguments`);
    return test(x, y);
  };
  const type = (t: number) => file((s) => (Number(s.mode) & MODE.IFMT) === t);
  const bit = (m: number) => file((s) => (Number(s.mode) & m) !== 0);
  switch (n.op) {
    case '':
      return n.text !== '';
    case '!':
      return !evaluate(prog, ctx, n.a as Node);
    case '-a':
      return evaluate(prog, ctx, n.a as Node) && evaluate(prog, ctx, n.b as Node);
    case '-o':
      return evaluate(prog, ctx, n.a as Node) || evaluate(prog, ctx, n.b as Node);
    case '-n':
      return a !== '';
    case '-z':
      return a === '';
    case '-e':
      return access(ctx, a, constants.F_OK);
    case '-r':
      return access(ctx, a, constants.R_OK);
    case '-w':
      return access(ctx, a, constants.W_OK);
    case '-x':
      return access(ctx, a, constants.X_OK);
    case '-b':
      return type(MODE.IFBLK);
    case '-c':
      return type(MODE.IFCHR);
    case '-d':
      return type(MODE.IFDIR);
    case '-f':
      return type(MODE.IFREG);
    case '-p':
      return type(MODE.IFIFO);
    case '-S':
      return type(MODE.IFSOCK);
    case '-h':
    case '-L':
      return file((s) => (Number(s.mode) & MODE.IFMT) === MODE.IFLNK, true);
    case '-g':
      return bit(MODE.ISGID);
    case '-u':
      return bit(MODE.ISUID);
    case '-k':
      return bit(MODE.ISVTX);
    case '-s':
      return file((s) => s.size > 0n);
    case '-N':
      return file((s) => sec(s.mtimeNs) > sec(s.atimeNs));
    case '-O':
    case '-U':
      return file((s) => Number(s.uid) === ctx.identity().euid);
    case '-G':
      return file((s) => Number(s.gid) === ctx.identity().egid);
    case '-t': {
      const fd = uint0Scan(a);
      if (fd === null) fatal(prog, EXIT_USAGE, `${n.op} requires an integer argument`);
      return ctx.isatty(fd);
    }
    case '-v':
      return getenv(ctx, a);
    case '-nt': {
      const s1 = stat(a);
      if (!s1) return false;
      const s2 = stat(b);
      return !s2 || sec(s1.mtimeNs) > sec(s2.mtimeNs);
    }
    case '-ot': {
      const s1 = stat(a);
      if (!s1) return true;
      const s2 = stat(b);
      return s2 !== null && sec(s1.mtimeNs) < sec(s2.mtimeNs);
    }
    case '-ef': {
      const s1 = stat(a);
      if (!s1) return false;
      const s2 = stat(b);
      return !s2 || (s1.dev === s2.dev && s1.ino === s2.ino);
    }
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return cmp(a, b) < 0;
    case '<=':
      return cmp(a, b) <= 0;
    case '>':
      return cmp(a, b) > 0;
    case '>=':
      return cmp(a, b) >= 0;
    case '-eq':
      return ints((x, y) => x === y);
    case '-ne':
      return ints((x, y) => x !== y);
    case '-gt':
      return ints((x, y) => x > y);
    case '-ge':
      return ints((x, y) => x >= y);
    case '-lt':
      return ints((x, y) => x < y);
    case '-le':
      return ints((x, y) => x <= y);
    case '=~': {
      let re: RegExp;
      try {
        re = compileEre(b);
      } catch (e) {
        if (!(e instanceof EreError)) throw e;
        fatal(prog, EXIT_USAGE, `: unable to compile ${b} into a regular expression: ${e.message}`);
      }
      return re.test(a);
    }
    default:
      fatal(prog, 101, 'operation not implemented');
  }
}

function run(this: Command, ctx: Context, argv: string[]): never {
  if (argv.length <= 1) throw new Exit(1);
  const tree = parse(this.prog, argv.slice(1));
  throw new Exit(evaluate(this.prog, ctx, tree) ? 0 : 1);
}

export const eltest = defineCommand({
  names: ['eltest'],
  prog: 'eltest',
  usage: 'eltest expression...',
  run,
});

export const s6Test = defineCommand({
  names: ['s6-test'],
  prog: 's6-test',
  usage: 's6-test expression...',
  run,
});

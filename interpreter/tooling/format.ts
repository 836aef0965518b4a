// format(): one canonical layout for an execlineb script, which execlineb reads as exactly the
// same argv (whitespace between words is all alike to it, so only the layout changes, and each
// word is written back with quote()):
// - one command per line where the chain is linear: a chain-loading command (COMMANDS in
//   lint-commands.ts: its options, operands and blocks) ends its line where the program it runs
//   begins; a command the table does not know, or whose arguments do not fit its entry, keeps the
//   rest of its words on its line;
// - a block opens with `{` at the end of its command's line, its contents are indented by two
//   spaces (up to 200 columns: past 100 levels the indentation stays), and `}` is on a line of its
//   own (what follows in the same command goes after it: `} {`); an empty block is `{ }`;
// - each word quoted only where needed, control bytes written as escapes and blanks inside
//   quotes (quote(), visible and quoteBlanks);
// - comments kept where they are: at the end of a line, or on lines of their own (a comment inside
//   a command's words breaks the line, the words after it indented by two more spaces); one blank
//   line kept where the script had blank lines between commands; the `#!` line kept;
// - LF line endings, no trailing blanks, and a final newline.
// It is idempotent: format(format(x)) === format(x).
import { quote } from '../language/quote.js';
import { type Comment, type Node, ScriptError, type Word } from './cst.js';
import { type BlockRole, COMMANDS } from './lint-commands.js';
import { parse, scriptBytes } from './parse.js';

/** A node or a comment of a container; a block's own entries come with it. */
type Entry = { kind: 'node'; node: Node; inner: Entry[] } | { kind: 'comment'; comment: Comment; trailing: boolean };

/** The last line a node occupies. */
const endLine = (n: Node) => (n.kind === 'block' && n.close ? n.close.start.line : n.span.end.line);

/** Splits the comments among the containers: each container's items with its own comments. */
class Comments {
  private i = 0;
  constructor(private readonly all: Comment[]) {}
  /** The comments before `offset` not taken yet, as entries after a token that ended on `prevLine`. */
  take(offset: number, out: Entry[], prevLine: number): void {
    for (; this.i < this.all.length && this.all[this.i].span.start.offset < offset; this.i++) {
      const c = this.all[this.i];
      out.push({ kind: 'comment', comment: c, trailing: c.span.start.line === prevLine });
      prevLine = c.span.start.line;
    }
  }
}

/** How a command splits its words: where its line ends (the index of the first node of the program it runs), and its blocks' roles. */
function head(nodes: Node[], i: number): { end: number; roles: BlockRole[] } {
  const n = nodes.length;
  const unsure = { end: n, roles: [] };
  const first = nodes[i];
  if (first.kind === 'block') return { end: i + 1, roles: [] };
  const spec = Object.hasOwn(COMMANDS, first.value) ? COMMANDS[first.value] : undefined;
  if (spec?.rest !== 'prog' || spec.optionalOperands) return unsure;
  const isWord = (k: number) => k < n && nodes[k].kind === 'word';
  const value = (k: number) => (nodes[k] as Word).value;
  let j = i + 1;
  // Options, as subgetopt reads them: up to the first word that is not one, or `--`.
  while (isWord(j) && value(j).length > 1 && value(j)[0] === '-') {
    const w = value(j++);
    if (w === '--') break;
    for (let k = 1; k < w.length; k++) {
      const at = w[k] === ':' ? -1 : spec.opts.indexOf(w[k]);
      if (at < 0) {
        if (spec.lenient) continue;
        return unsure;
      }
      if (spec.opts[at + 1] === ':') {
        if (k === w.length - 1) {
          if (!isWord(j)) return unsure;
          j++;
        }
        break;
      }
    }
  }
  for (let k = 0; k < spec.operands; k++, j++) if (!isWord(j)) return unsure;
  for (const _ of spec.blocks) if (nodes[j++]?.kind !== 'block') return unsure;
  return { end: j, roles: spec.blocks };
}

/** Indentation: the same few strings on every line, made once. */
const SPACES: string[] = [];
function spaces(n: number): string {
  if (n >= 256) return ' '.repeat(n);
  SPACES[n] ??= ' '.repeat(n);
  return SPACES[n];
}

class Emitter {
  readonly lines: string[] = [];
  /** The line being written, and its indentation. */
  private cur: string | null = null;
  private curIndent = 0;
  /** The line being written holds only its indentation (kept as it goes: no scan of the line). */
  private blank = true;

  flush(): void {
    // A line of indentation only is an empty one; nothing else ends in a blank (a word's blanks
    // are inside quotes: see word()).
    if (this.cur !== null) this.lines.push(this.blank ? '' : this.cur);
    this.cur = null;
  }
  /** Starts a new line at `indent` (after a blank one if asked and there is something above). */
  line(indent: number, blank = false): void {
    this.flush();
    if (blank && this.lines.length && this.lines[this.lines.length - 1] !== '') this.lines.push('');
    this.cur = spaces(indent);
    this.curIndent = indent;
    this.blank = true;
  }
  /** Writes a token on the current line (a space before it unless the line is empty). */
  put(text: string): void {
    if (this.cur === null) this.line(0);
    this.cur = this.cur === null || this.blank ? `${this.cur ?? ''}${text}` : `${this.cur} ${text}`;
    this.blank &&= /^ *$/.test(text);
  }
  get open(): boolean {
    return this.cur !== null && !this.blank;
  }
  get indent(): number {
    return this.curIndent;
  }
}

const commentText = (c: Comment) => c.text.replace(/[\x01-\x20]+$/, '');

/**
 * The entries of a container (the script, or a block): its nodes and the comments among them,
 * each block's own inside it. `openLine` is the line of the container's `{` (0 for the script).
 * The blocks are walked with an explicit stack (not one JavaScript frame per level: any depth),
 * in source order, as the comments are handed out.
 */
function entriesOf(items: Node[], comments: Comments, openLine: number, endOffset: number): Entry[] {
  type Frame = { items: Node[]; i: number; out: Entry[]; prev: number; endOffset: number };
  const top: Frame = { items, i: 0, out: [], prev: openLine, endOffset };
  const stack: Frame[] = [top];
  while (stack.length) {
    const f = stack[stack.length - 1];
    if (f.i === f.items.length) {
      comments.take(f.endOffset, f.out, f.prev);
      stack.pop();
      continue;
    }
    const node = f.items[f.i++];
    comments.take(node.span.start.offset, f.out, f.prev);
    const inner: Entry[] = [];
    f.out.push({ kind: 'node', node, inner });
    f.prev = endLine(node);
    // The block's entries are filled in before anything else is added to this container's.
    if (node.kind === 'block')
      stack.push({ items: node.items, i: 0, out: inner, prev: node.open.start.line, endOffset: node.close ? node.close.start.offset : node.span.end.offset });
  }
  return top.out;
}

/** The line an entry starts on and the line it ends on, in the source. */
const startLine = (e: Entry) => (e.kind === 'node' ? e.node.span.start.line : e.comment.span.start.line);
const lastLine = (e: Entry) => (e.kind === 'node' ? endLine(e.node) : e.comment.span.start.line);

/**
 * How far a block's contents are indented, from the line of its `{`: two spaces more, up to
 * MAX_INDENT (100 levels). Past it the indentation stays: a script nested 100,000 deep would
 * otherwise be laid out in gigabytes of spaces (2 per level on each of its lines).
 */
const MAX_INDENT = 200;
const nested = (indent: number) => Math.min(indent + 2, MAX_INDENT);

/** A container being written: its entries, how its nodes split into lines, and how far it is. */
interface Container {
  entries: Entry[];
  /** How many nodes (not comments) it has. */
  count: number;
  /** The nodes that start a line, and the role of each block, by node index. */
  starts: Set<number>;
  roles: Map<number, BlockRole>;
  indent: number;
  /** The indentation of the `}` that ends it, or null for the script. */
  close: number | null;
  /** The next entry to write. */
  at: number;
  /** The index of the last node written. */
  k: number;
  /** A comment broke the current command's line. */
  broken: boolean;
  prev: Entry | null;
}

/**
 * A container's entries at `indent`, its nodes split into lines as its role says: a program (or
 * multisubstitute's directives) one command per line, case's and trap's blocks one key and block
 * per line, plain words on one line.
 */
function container(entries: Entry[], role: BlockRole | 'script', indent: number, close: number | null): Container {
  const nodes: Node[] = [];
  for (const e of entries) if (e.kind === 'node') nodes.push(e.node);
  // For each node: does it start a line, and the role of each block.
  const starts = new Set<number>();
  const roles = new Map<number, BlockRole>();
  for (let i = 0; i < nodes.length; ) {
    starts.add(i);
    if (role === 'words' || role === 'keys') break;
    if (role === 'case' || role === 'trap') {
      const pair = nodes[i].kind === 'word' && nodes[i + 1]?.kind === 'block';
      if (pair) roles.set(i + 1, 'prog');
      i += pair ? 2 : 1;
      continue;
    }
    const h = head(nodes, i);
    let r = 0;
    for (let k = i + 1; k < h.end; k++) if (nodes[k].kind === 'block') roles.set(k, h.roles[r++] ?? 'prog');
    i = h.end;
  }
  return { entries, count: nodes.length, starts, roles, indent, close, at: 0, k: -1, broken: false, prev: null };
}

/**
 * Writes the script's entries: a block opens with `{` at the end of its line, its contents at
 * two more spaces, and `}` on a line of its own (an empty block is `{ }`). The blocks being
 * written are on an explicit stack, not one JavaScript frame per level: any depth.
 */
function emit(entries: Entry[], out: Emitter): void {
  const stack: Container[] = [container(entries, 'script', 0, null)];
  while (stack.length) {
    const c = stack[stack.length - 1];
    if (c.at === c.entries.length) {
      stack.pop();
      if (c.close !== null) {
        out.line(c.close);
        out.put('}');
      }
      continue;
    }
    const e = c.entries[c.at++];
    const gap = c.prev !== null && startLine(e) - lastLine(c.prev) >= 2;
    c.prev = e;
    if (e.kind === 'comment') {
      const midCommand = c.k >= 0 && c.k + 1 < c.count && !c.starts.has(c.k + 1);
      if (e.trailing && out.open) out.put(commentText(e.comment));
      else {
        out.line(midCommand ? indentOf(c.indent, true) : c.indent, gap && !midCommand);
        out.put(commentText(e.comment));
      }
      out.flush();
      if (midCommand) c.broken = true;
      continue;
    }
    c.k++;
    if (c.starts.has(c.k)) {
      out.line(c.indent, gap);
      c.broken = false;
    } else if (c.broken || !out.open) {
      out.line(indentOf(c.indent, true));
      c.broken = false;
    }
    const node = e.node;
    if (node.kind === 'word') out.put(word(node.value));
    else if (e.inner.length === 0) out.put('{ }');
    else {
      const indent = out.indent;
      out.put('{');
      stack.push(container(e.inner, c.roles.get(c.k) ?? 'prog', nested(indent), indent));
    }
  }
}

/** A word as quote() writes it, control bytes as escapes and blanks inside quotes (`"a b"`, never `a\ b`). */
const word = (value: string) => quote(value, { visible: true, quoteBlanks: true });

const indentOf = (indent: number, continuation: boolean) => indent + (continuation ? 2 : 0);

function formatBytes(src: string): string {
  const script = parse(src);
  if (script.errors.length) throw new ScriptError(script.errors);
  // What cannot be written back otherwise stays as it is: bytes after a NUL (execlineb ignores
  // them, but they are the file's), and a `{\` continuation glued to a brace.
  let irregular = script.nul !== null;
  const lists = [script.items];
  while (lists.length && !irregular)
    for (const n of lists.pop()!) {
      if (n.kind === 'word') irregular ||= n.arg !== undefined;
      else {
        irregular ||= n.end !== undefined;
        lists.push(n.items);
      }
    }
  if (irregular) return src;
  const comments = new Comments(script.comments);
  const out = new Emitter();
  emit(entriesOf(script.items, comments, 0, src.length), out);
  out.flush();
  while (out.lines.length && out.lines[out.lines.length - 1] === '') out.lines.pop();
  // A comment that reads #! but is not the script's #! line (not at its first byte) stays one:
  // at the start of the file it would become the interpreter the kernel runs.
  if (!script.shebang && out.lines.length && out.lines[0].startsWith('#!')) out.lines.unshift('');
  return out.lines.length ? `${out.lines.join('\n')}\n` : '';
}

/**
 * The script in its canonical layout (see above). A string is a byte string (one char per byte),
 * and so is the result; a string with chars above 255 is text: it is formatted as its UTF-8
 * bytes and the result is text again. A Uint8Array gives a Buffer. Throws a ScriptError (its
 * `errors` are parse()'s) for a script execlineb would refuse.
 */
export function format(source: string): string;
export function format(source: Uint8Array): Uint8Array;
export function format(source: string | Uint8Array): string | Uint8Array {
  const src = scriptBytes(source);
  const out = formatBytes(src);
  if (typeof source !== 'string') return Buffer.from(out, 'latin1');
  return src === source ? out : Buffer.from(out, 'latin1').toString('utf8');
}

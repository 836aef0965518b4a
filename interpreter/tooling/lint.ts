// lint(): the mistakes people make in execline scripts (docs/lint/), found on the concrete syntax
// tree (parse.ts). The script is walked as execline runs it: a command, its options, its
// arguments and blocks (lint-commands.ts says which), then the program it chains into; a
// substitution binds for the rest of the chain after it, blocks included, and a block's bindings
// end with the block. Every word is checked once, for shell syntax, backslashes and references.
//
// A comment turns a rule off: `# execline-lint disable=EL301,EL304` for the next command (its
// options, arguments and blocks), or for its own line when it ends a line of words;
// `# execline-lint disable-file=EL301` for the whole file.
import type { Block, Node, Script, Word } from './cst.js';
import { BINDERS, COMMANDS, type CommandSpec, FOREIGN, SHELL_BUILTINS, SUBST_DIRECTIVES } from './lint-commands.js';
import { RULE_BY_ID, RULES, type Severity } from './lint-rules.js';
import { parse } from './parse.js';

export { RULES, type RuleInfo, type Severity } from './lint-rules.js';

/** A stretch of the script: 1-based lines and byte columns (the end is just after the last byte), and byte offsets. */
export interface TextRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  offset: number;
  endOffset: number;
}

/** An edit that fixes a finding: replace the range's bytes with `replacement` (a byte string, as the script). */
export interface Fix {
  range: TextRange;
  replacement: string;
}

export interface Finding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  id: string;
  message: string;
  /** Only where applying it is safe: the script then means what its author evidently meant. */
  fix?: Fix;
}

export interface LintOptions {
  /** The file name, for the findings and for the rules that depend on it (a script named finish). */
  file?: string;
}

// --- positions --------------------------------------------------------------------------------

class Positions {
  private readonly starts: number[] = [0];
  constructor(readonly source: string) {
    for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  at(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo] + 1 };
  }
  range(start: number, end: number): TextRange {
    const s = this.at(start);
    const e = this.at(end);
    return { line: s.line, column: s.column, endLine: e.line, endColumn: e.column, offset: start, endOffset: end };
  }
}

// --- a word's bytes, as execlineb reads them --------------------------------------------------

interface Escape {
  /** Offset of the backslash in the raw text. */
  at: number;
  /** The byte after it. */
  ch: string;
  quoted: boolean;
  /** Index in the value of the byte it gave, or -1 (a line continuation, a numeric escape). */
  valueIndex: number;
}

interface Decoded {
  value: string;
  /** For each byte of the value: where in the raw text it comes from. */
  rawAt: number[];
  /** For each byte of the value: was it inside a quoted string. */
  quotedAt: boolean[];
  escapes: Escape[];
}

const CONTROL = 'abtnvfr';
const isDigit = (c: string) => c >= '0' && c <= '9';
const isOct = (c: string) => c >= '0' && c <= '7';
const isHex = (c: string) => /^[0-9a-fA-F]$/.test(c);

/** Reads a word's raw text as execlineb does, keeping where each byte of the value comes from (exported for the tests). */
export function decode(raw: string): Decoded {
  const d: Decoded = { value: '', rawAt: [], quotedAt: [], escapes: [] };
  const push = (ch: string, at: number, quoted: boolean) => {
    d.value += ch;
    d.rawAt.push(at);
    d.quotedAt.push(quoted);
  };
  let quoted = false;
  let i = 0;
  while (i < raw.length) {
    const c = raw[i];
    if (!quoted) {
      if (c === '"') {
        quoted = true;
        i++;
      } else if (c === '\\' && i + 1 < raw.length) {
        d.escapes.push({ at: i, ch: raw[i + 1], quoted: false, valueIndex: d.value.length });
        push(raw[i + 1], i, false);
        i += 2;
      } else {
        push(c, i, false);
        i++;
      }
      continue;
    }
    if (c === '"') {
      quoted = false;
      i++;
      continue;
    }
    if (c !== '\\' || i + 1 >= raw.length) {
      push(c, i, true);
      i++;
      continue;
    }
    const n = raw[i + 1];
    const at = i;
    if (n === '\n') {
      d.escapes.push({ at, ch: n, quoted: true, valueIndex: -1 });
      i += 2;
    } else if (CONTROL.includes(n)) {
      d.escapes.push({ at, ch: n, quoted: true, valueIndex: d.value.length });
      push(String.fromCharCode(7 + CONTROL.indexOf(n)), at, true);
      i += 2;
    } else if (n === '0') {
      d.escapes.push({ at, ch: n, quoted: true, valueIndex: -1 });
      let j = i + 2;
      let digits = '';
      let base = 8;
      if (raw[j] === 'x') {
        base = 16;
        j++;
        while (digits.length < 2 && j < raw.length && isHex(raw[j])) digits += raw[j++];
      } else while (digits.length < 3 && j < raw.length && isOct(raw[j])) digits += raw[j++];
      const v = parseInt(digits || '0', base);
      if (v >= 1 && v <= 255) push(String.fromCharCode(v), at, true);
      i = j;
    } else if (isDigit(n)) {
      d.escapes.push({ at, ch: n, quoted: true, valueIndex: -1 });
      let j = i + 1;
      let digits = '';
      while (digits.length < 3 && j < raw.length && isDigit(raw[j])) digits += raw[j++];
      const v = parseInt(digits, 10);
      if (v >= 1 && v <= 255) push(String.fromCharCode(v), at, true);
      i = j;
    } else {
      d.escapes.push({ at, ch: n, quoted: true, valueIndex: d.value.length });
      push(n, at, true);
      i += 2;
    }
  }
  return d;
}

// --- references to substitution keys, as the substitution commands find them ------------------

interface Ref {
  /** Index of the `$` in the value. */
  start: number;
  end: number;
  name: string;
  braced: boolean;
  /** An odd number of backslashes before it: the substitution commands leave it literal. */
  literal: boolean;
}

const NAME_END = /[${}\\]/g;

/** Every ${name} and $name in a value (el_substitute.html): a bare name runs to `$`, `{`, `}`, `\` or the end. */
function refsOf(value: string): Ref[] {
  const out: Ref[] = [];
  let i = value.indexOf('$');
  while (i >= 0) {
    let name: string;
    let end: number;
    let braced = false;
    if (value[i + 1] === '{') {
      const close = value.indexOf('}', i + 2);
      if (close < 0) break;
      name = value.slice(i + 2, close);
      if (/[${\\]/.test(name)) {
        i = value.indexOf('$', i + 1);
        continue;
      }
      end = close + 1;
      braced = true;
    } else {
      NAME_END.lastIndex = i + 1;
      const m = NAME_END.exec(value);
      end = m ? m.index : value.length;
      name = value.slice(i + 1, end);
    }
    if (name !== '') {
      let bs = 0;
      while (i - bs - 1 >= 0 && value[i - bs - 1] === '\\') bs++;
      out.push({ start: i, end, name, braced, literal: (bs & 1) === 1 });
    }
    i = value.indexOf('$', Math.max(end, i + 1));
  }
  return out;
}

const IDENT = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]+|[#@?!*$-])/;
const POSITIONAL = /^(?:[0-9]+|#|@)$/;

// --- the scope: what is bound for substitution, and what is only in the environment -------------

interface Binding {
  key: string;
  /** The command that binds it. */
  by: string;
  /** The key's word, or null (positional parameters). */
  node: Word | null;
  used: boolean;
  /** Already reported as a list used as one word (EL305), or for its newline (EL306). */
  reportedUnsplit?: boolean;
  reportedNewline?: boolean;
  /** The value is split into a list (-s, elglob...). */
  split: boolean;
  /** define's value, when it is a literal. */
  value?: string;
  /** importas's variable. */
  envvar?: string;
  /** Where the imported value comes from, when the script set it (backtick, withstdinas). */
  origin?: EnvVar;
  reportUnused: boolean;
}

/** A variable a command of the script puts in the environment. */
interface EnvVar {
  name: string;
  by: string;
  node: Word;
  /** The options of the command that set it. */
  flags: Set<string>;
}

/** A layer of a Layered map: its own entries over those of the layers under it. */
interface Layer<V> {
  entries: Map<string, V>;
  under: Layer<V> | null;
}

/**
 * A map whose copies share their entries: a copy costs nothing whatever the map holds (every
 * command of a chain and every block gets a copy of its scope: copying the entries would make a
 * chain of 100,000 bindings take minutes). A copy and its original see the same entries until
 * either changes: the one that changes first puts a layer of its own on top. A lookup goes down
 * the layers. A new layer is merged into a new map with those under it while they are no bigger
 * than twice it: so each is more than twice the one above it, there are no more layers than the
 * logarithm of the entries, and each entry is copied about as many times.
 */
class Layered<V> {
  private constructor(
    private top: Layer<V> | null,
    /** Whether the top layer is this map's alone (no copy shares it), so set() may change it. */
    private owned: boolean,
  ) {}
  static empty<V>(): Layered<V> {
    return new Layered<V>(null, false);
  }
  get(key: string): V | undefined {
    for (let l = this.top; l; l = l.under) {
      const v = l.entries.get(key);
      if (v !== undefined) return v;
    }
    return undefined;
  }
  set(key: string, value: V): void {
    if (this.owned) {
      this.top!.entries.set(key, value);
      return;
    }
    let top: Layer<V> = { entries: new Map([[key, value]]), under: this.top };
    for (let u = top.under; u && u.entries.size <= 2 * top.entries.size; u = top.under) {
      const entries = new Map(u.entries);
      for (const [k, v] of top.entries) entries.set(k, v);
      top = { entries, under: u.under };
    }
    this.top = top;
    this.owned = true;
  }
  /** A copy: the same entries, each free to change without the other seeing it. */
  copy(): Layered<V> {
    this.owned = false;
    return new Layered(this.top, false);
  }
}

class Scope {
  constructor(
    readonly bindings: Layered<Binding> = Layered.empty(),
    readonly env: Layered<EnvVar> = Layered.empty(),
    /** elgetpositionals ran: every positional parameter is bound. */
    public positionals = false,
  ) {}
  clone(): Scope {
    return new Scope(this.bindings.copy(), this.env.copy(), this.positionals);
  }
}

// --- the #! line -----------------------------------------------------------------------------

type Mode =
  /** No #! line: how the script is run is not known. */
  | { kind: 'unknown' }
  /** -P: no positional parameters. */
  | { kind: 'P' }
  /** No option or -p: the positional parameters are in the environment, not substituted. */
  | { kind: 'env' }
  /** -S n / -s n: substituted. */
  | { kind: 'S'; n: number; flag: 'S' | 's' };

interface ShebangInfo {
  interpreter: string;
  arg: string | null;
  /** The script is an execline script (execlineb, env execlineb, with-contenv execlineb). */
  execline: boolean;
  mode: Mode;
  /** Offset in the source of the execlineb options word of the #! line, and its text, for fixes. */
  flagsAt?: { offset: number; text: string } | { insertAt: number };
}

const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1);

function modeOf(flags: string[]): Mode {
  let mode: Mode = { kind: 'env' };
  for (let i = 0; i < flags.length; i++) {
    const w = flags[i];
    if (w.length < 2 || w[0] !== '-') break;
    for (let j = 1; j < w.length; j++) {
      const c = w[j];
      if (c === 'P') mode = { kind: 'P' };
      else if (c === 'p') mode = { kind: 'env' };
      else if (c === 'S' || c === 's' || c === 'c') {
        const arg = j + 1 < w.length ? w.slice(j + 1) : (flags[++i] ?? '');
        if (c !== 'c') mode = { kind: 'S', n: /^\d+$/.test(arg) ? Number(arg) : 0, flag: c };
        break;
      }
    }
  }
  return mode;
}

/** What the kernel and the interpreter make of a #! line (its text without the newline). */
function readShebang(text: string, offset: number): ShebangInfo {
  const body = text.slice(2);
  const m = /^[ \t]*([^ \t]*)[ \t]*(.*?)[ \t]*$/s.exec(body)!;
  const interpreter = m[1];
  const arg = m[2] === '' ? null : m[2];
  const argAt = offset + 2 + body.indexOf(m[2], m[1].length + body.indexOf(m[1]));
  const base = basename(interpreter);
  const info: ShebangInfo = { interpreter, arg, execline: false, mode: { kind: 'unknown' } };
  let words = arg === null ? [] : arg.split(/[ \t]+/);
  if (base === 'env') {
    if (words[0]?.startsWith('-S')) words = [words[0].slice(2), ...words.slice(1)].filter((w) => w !== '');
    while (words.length && (words[0].startsWith('-') || words[0].includes('='))) words.shift();
    if (words.length && basename(words[0]) === 'execlineb') {
      info.execline = true;
      info.mode = modeOf(words.slice(1));
    }
  } else if (base === 'with-contenv') {
    if (words.length && basename(words[0]) === 'execlineb') {
      info.execline = true;
      info.mode = modeOf(words.slice(1));
    }
  } else if (base === 'execlineb') {
    info.execline = true;
    info.mode = modeOf(words);
    if (arg === null) info.flagsAt = { insertAt: offset + 2 + body.indexOf(m[1]) + m[1].length };
    else if (words.length === 1) info.flagsAt = { offset: argAt, text: arg };
  }
  return info;
}

// --- the linter ------------------------------------------------------------------------------

/** How a word is used, for the word checks. */
interface WordUse {
  scope: Scope;
  /** The command it belongs to (its head's value), or null. */
  cmd: string | null;
  role: 'head' | 'option' | 'operand' | 'arg' | 'block-word' | 'key' | 'regex';
  /** An argument to a program that reads another language (sh -c, awk...). */
  foreign: boolean;
  /** find's -exec has been seen: `;` and `{}` are its. */
  findExec?: boolean;
  /** Inside a multisubstitute: the keys it binds (all at once, so none is seen by another's value). */
  sameSubst?: Set<string>;
}

/** Where the walk of an instruction list goes on, and with what bound; null when the list is done. */
type Next = { at: number; scope: Scope } | null;

/** A block's program to walk, and what is bound in it. */
interface Walk {
  items: Node[];
  scope: Scope;
}

/**
 * A step of the walk: a generator that yields each block's program to walk, in order, and
 * returns its result. walkProgram() walks what it yields before it goes on: the blocks being
 * walked are on its explicit stack, not one JavaScript frame per level, so any depth is walked.
 */
type Steps<T = void> = Generator<Walk, T, void>;

interface CommandExtent {
  start: number;
  end: number;
}

const SHELL_OPERATORS = new Set(['>', '>>', '<', '<<', '<<<', '|', '||', '|&', '&&', '&', ';', ';;', '&>', '&>>', '>|', '<>']);
const REDIRECTION = /^[0-9]*(?:>>?|<)(?:&[0-9]+|&-|\/\S*)$|^[0-9]+(?:>>?|<)$/;
const TESTS = new Set(['eltest', 's6-test', 'test', '[', '[[']);
/** External programs that run the rest of their arguments as a program (so an execline command may follow). */
const EXTERNAL_CHAINERS = new Set([
  'nice',
  'nohup',
  'env',
  'chpst',
  'setpriv',
  'su-exec',
  'gosu',
  's6-notifyoncheck',
  's6-fghack',
  's6-setlock',
  'timeout',
  'ionice',
  'taskset',
  'stdbuf',
  'chroot',
  'unshare',
  'setsid',
  'tini',
  'dumb-init',
  'numactl',
  'sudo',
  'doas',
  'runuser',
  'fakeroot',
  'time',
  's6-env',
]);
const LISTY = /(?:^|_)(?:ARGS|ARGV|OPTS|OPTIONS|FLAGS|PARAMS|LIST|EXTRA|CMDLINE)$/i;
/** Names of a command line, as a whole word in command position (`importas CMD CMD ${CMD}`). */
const COMMANDY = /(?:^|_)(?:CMD|COMMAND|EXEC|ENTRYPOINT|PROGRAM)$/i;

class Linter {
  readonly findings: Array<{ f: Finding; offset: number }> = [];
  readonly commands: CommandExtent[] = [];
  readonly bindings: Binding[] = [];
  /** The `;` and `+` words that end a find -exec whose command is walked as a chain (find . -exec cd {} forx ... ;). */
  readonly findEnds = new Set<Word>();
  readonly pos: Positions;
  readonly finish: boolean;

  constructor(
    readonly script: Script,
    readonly file: string,
    readonly shebang: ShebangInfo | null,
  ) {
    this.pos = new Positions(script.source);
    this.finish = basename(file) === 'finish';
  }

  get mode(): Mode {
    return this.shebang?.execline ? this.shebang.mode : { kind: 'unknown' };
  }

  report(
    id: string,
    start: number,
    end: number,
    message: string,
    opts: { severity?: Severity; fix?: { start: number; end: number; replacement: string } } = {},
  ): void {
    const rule = RULE_BY_ID.get(id)!;
    const r = this.pos.range(start, Math.max(end, start));
    const f: Finding = {
      file: this.file,
      line: r.line,
      column: r.column,
      endLine: r.endLine,
      endColumn: r.endColumn,
      severity: opts.severity ?? rule.severity,
      id,
      message,
    };
    if (opts.fix) f.fix = { range: this.pos.range(opts.fix.start, opts.fix.end), replacement: opts.fix.replacement };
    this.findings.push({ f, offset: start });
  }

  reportNode(id: string, n: Node, message: string, opts: Parameters<Linter['report']>[4] = {}): void {
    const end = n.kind === 'block' ? n.open.end.offset : n.span.end.offset;
    this.report(id, n.span.start.offset, end, message, opts);
  }

  // --- lists and commands ---

  /** Walks an instruction list: commands, each chaining into the next, and every block's program in its turn. */
  walkProgram(items: Node[], scope: Scope): void {
    const stack: Steps[] = [this.program(items, scope)];
    while (stack.length) {
      const step = stack[stack.length - 1].next();
      if (step.done) stack.pop();
      else stack.push(this.program(step.value.items, step.value.scope));
    }
  }

  /** An instruction list: commands, each chaining into the next. */
  *program(items: Node[], scope: Scope): Steps {
    let next: Next = { at: 0, scope };
    while (next && next.at < items.length) {
      const n = items[next.at];
      if (n.kind === 'block') {
        this.reportNode('EL106', n, 'a block where a command is expected: the command before it takes fewer blocks, or none');
        yield { items: n.items, scope: next.scope.clone() };
        next = { at: next.at + 1, scope: next.scope };
        continue;
      }
      const name = commandName(n.value);
      next = name ? yield* this.command(items, next.at, name, COMMANDS[name], next.scope) : yield* this.external(items, next.at, next.scope);
    }
  }

  /** A command of ours at items[i]: returns where the program it chains into starts and with what bound, or null if it takes the rest. */
  *command(items: Node[], i: number, name: string, spec: CommandSpec, scope: Scope): Steps<Next> {
    const head = items[i] as Word;
    const extent: CommandExtent = { start: head.span.start.offset, end: head.span.end.offset };
    this.commands.push(extent);
    const consumed = (n: Node) => {
      extent.end = Math.max(extent.end, n.span.end.offset);
    };
    this.checkWord(head, { scope, cmd: name, role: 'head', foreign: false });
    this.commandHead(head, spec);

    // options
    const opts = new Map<string, string>();
    const optWords: Word[] = [];
    let k = i + 1;
    const parseOpts = spec.opts !== '' || !spec.lenient;
    while (parseOpts && k < items.length) {
      const n = items[k];
      if (n.kind !== 'word') break;
      const w = n.value;
      if (w.length < 2 || w[0] !== '-') break;
      k++;
      consumed(n);
      optWords.push(n);
      this.checkWord(n, { scope, cmd: name, role: 'option', foreign: false });
      if (w === '--') break;
      for (let j = 1; j < w.length; j++) {
        const c = w[j];
        const at = c === ':' ? -1 : spec.opts.indexOf(c);
        if (at < 0) {
          if (!spec.lenient) this.reportNode('EL107', n, `${name}: unknown option -${c} (usage: ${usageOf(name, spec)})`);
          continue;
        }
        if (spec.opts[at + 1] === ':') {
          let arg = w.slice(j + 1);
          if (arg === '') {
            const a = items[k];
            if (a?.kind === 'word') {
              arg = a.value;
              k++;
              consumed(a);
              this.checkWord(a, { scope, cmd: name, role: 'option', foreign: false });
            } else this.reportNode('EL107', n, `${name}: option -${c} needs an argument`);
          }
          opts.set(c, arg);
          break;
        }
        opts.set(c, '');
      }
    }

    // operands
    const operands: Word[] = [];
    for (let o = 0; o < spec.operands; o++) {
      const n = items[k];
      if (n?.kind !== 'word') {
        if (o < spec.operands - (spec.optionalOperands ?? 0)) {
          const what = spec.operands - o === 1 ? 'an argument' : `${spec.operands - o} arguments`;
          this.reportNode('EL107', n ?? items[k - 1] ?? head, `${name}: missing ${what} (usage: ${usageOf(name, spec)})`);
        }
        break;
      }
      operands.push(n);
      consumed(n);
      k++;
      this.checkWord(n, { scope, cmd: name, role: 'operand', foreign: false });
    }
    for (const o of spec.fds ?? [])
      if (operands[o] && !/^\d+$/.test(operands[o].value) && !operands[o].value.includes('$'))
        this.reportNode('EL107', operands[o], `${name}: ${JSON.stringify(operands[o].value)} is not a file descriptor number (usage: ${usageOf(name, spec)})`);
    this.commandOperands(head, name, operands);

    // blocks
    const after = scope.clone();
    const pending: Binding[] = [];
    let positionals = false;
    for (const role of spec.blocks) {
      const n = items[k];
      if (n?.kind !== 'block') {
        const where = n ?? items[k - 1] ?? head;
        this.reportNode('EL105', where, `${name} expects a block here: ${usageOf(name, spec)}`);
        return yield* this.afterCommand(items, k, name, spec, scope, after, pending, positionals);
      }
      consumed(n);
      k++;
      if (role === 'prog') yield { items: n.items, scope: scope.clone() };
      else if (role === 'words') for (const w of n.items) yield* this.blockWord(w, scope, name);
      else if (role === 'keys') {
        for (const w of n.items) {
          if (w.kind === 'block') {
            this.reportNode('EL106', w, `a block in ${name}'s list of keys`);
            continue;
          }
          this.checkWord(w, { scope, cmd: name, role: 'key', foreign: false });
          if (w.value !== '') pending.push(this.bind(w.value, name, w, { split: false, reportUnused: false }));
        }
      } else if (role === 'case' || role === 'trap') yield* this.pairs(n, scope, name, role);
      else if (role === 'subst') positionals = this.subst(n, scope, pending);
    }

    // the command's own checks that need its blocks
    if ((name === 'if' || name === 'ifelse') && opts.has('n')) {
      const b = items[i + 1 + optWords.length];
      const first = b?.kind === 'block' ? b.items[0] : undefined;
      if (first?.kind === 'word' && TESTS.has(first.value) && b?.kind === 'block' && mayFail(b.items)) this.negatedTest(name, optWords, first.value);
    }
    if (name === 'ifte' && opts.has('n')) {
      const first = items[k];
      if (first?.kind === 'word' && TESTS.has(first.value) && mayFail(items.slice(k))) this.negatedTest(name, optWords, first.value);
    }

    // bindings of the command itself
    const rule = BINDERS[name];
    if (rule && operands[rule.operand]) {
      const keyWord = operands[rule.operand];
      const key = keyWord.value;
      const flags = new Set(opts.keys());
      if (rule.substitutes || (rule.autoImport && flags.has(rule.autoImport))) {
        const b = this.bind(key, name, keyWord, {
          split: name === 'elglob' || flags.has('s'),
          reportUnused: name === 'importas' || name === 'import',
        });
        if (name === 'define' && operands[1] && !operands[1].value.includes('$')) b.value = operands[1].value;
        if (name === 'importas' || name === 'import') {
          b.envvar = operands[name === 'importas' ? 1 : 0]?.value;
          if (b.envvar !== undefined) b.origin = scope.env.get(b.envvar);
        }
        if (name === 'backtick' || name === 'withstdinas') b.origin = { name: key, by: name, node: keyWord, flags };
        pending.push(b);
      } else if (key !== '' && !key.includes('=')) {
        after.env.set(key, { name: key, by: name, node: keyWord, flags });
      }
    }
    if (name === 'elgetpositionals') positionals = true;
    if (name === 's6-envuidgid' && operands[0]) {
      for (const v of ['UID', 'GID', 'GIDLIST']) after.env.set(v, { name: v, by: name, node: operands[0], flags: new Set(opts.keys()) });
    }
    // A chain-loader with its arguments complete and nothing to chain into: execline 2.9.3 says
    // usage (100) where a block-reading command (foreground, if...) would just exit 0.
    if (
      k >= items.length &&
      spec.rest === 'prog' &&
      operands.length === spec.operands &&
      (spec.blocks.length === 0 || name === 'pipeline') &&
      !OPTIONAL_PROG.has(name)
    )
      this.reportNode('EL108', items[k - 1] ?? head, `${name} runs a program, and none follows: it fails with its usage (${usageOf(name, spec)})`);
    return yield* this.afterCommand(items, k, name, spec, scope, after, pending, positionals);
  }

  *afterCommand(items: Node[], k: number, name: string, spec: CommandSpec, scope: Scope, after: Scope, pending: Binding[], positionals: boolean): Steps<Next> {
    if (spec.rest === 'args') {
      yield* this.args(items, k, scope, name, spec.foreign === true);
      return null;
    }
    // the rest of the chain: the command's bindings apply
    for (const b of pending) after.bindings.set(b.key, b);
    if (positionals) after.positionals = true;
    return { at: k, scope: after };
  }

  /** An external program at items[i]: the rest of the list is its arguments (a known chain-loader may hand over to one of ours). */
  *external(items: Node[], i: number, scope: Scope): Steps<Next> {
    const head = items[i] as Word;
    const extent: CommandExtent = { start: head.span.start.offset, end: head.span.end.offset };
    this.commands.push(extent);
    const name = basename(head.value);
    this.checkWord(head, { scope, cmd: head.value, role: 'head', foreign: false });
    this.externalHead(head, items, i);
    let foreign = FOREIGN.has(name);
    let findExec = false;
    // Blocks among its arguments mean one of ours reads them: the program is a chain-loader (a
    // script of the author's, s6-notifyoncheck...) and the command before the first block is ours.
    const firstBlock = foreign ? -1 : items.findIndex((n, k) => k > i && n.kind === 'block');
    let handOver = -1;
    if (firstBlock > 0)
      for (let k = i + 1; k < firstBlock; k++) {
        const n = items[k];
        if (n.kind === 'word' && !n.quoted && commandName(n.value)) {
          handOver = k;
          break;
        }
      }
    for (let k = i + 1; k < items.length; k++) {
      const n = items[k];
      if (k === handOver) {
        if (findExec)
          for (let j = items.length - 1; j > k; j--) {
            const t = items[j];
            if (t.kind === 'word' && (t.raw === ';' || t.raw === '+')) {
              this.findEnds.add(t);
              break;
            }
          }
        return { at: k, scope };
      }
      if (n.kind === 'block') {
        extent.end = n.span.end.offset;
        yield { items: n.items, scope: scope.clone() };
        continue;
      }
      if (EXTERNAL_CHAINERS.has(name) && !foreign && commandName(n.value) && !n.quoted) return { at: k, scope };
      extent.end = n.span.end.offset;
      if (FOREIGN.has(basename(n.value)) && !n.quoted) foreign = true;
      if (name === 'find' && /^-(?:exec|execdir|ok|okdir)$/.test(n.value)) findExec = true;
      this.checkWord(n, { scope, cmd: head.value, role: 'arg', foreign, findExec });
    }
    return null;
  }

  /** The arguments of a command that does not chain (s6-echo, eltest...). */
  *args(items: Node[], k: number, scope: Scope, name: string, foreign: boolean): Steps {
    const extent = this.commands[this.commands.length - 1];
    for (; k < items.length; k++) {
      const n = items[k];
      extent.end = Math.max(extent.end, n.span.end.offset);
      if (n.kind === 'block') {
        this.reportNode('EL106', n, `${name} takes no block: its words would be arguments, with a leading space`);
        yield { items: n.items, scope: scope.clone() };
        continue;
      }
      this.checkWord(n, { scope, cmd: name, role: 'arg', foreign });
    }
  }

  *blockWord(n: Node, scope: Scope, name: string): Steps {
    if (n.kind === 'block') {
      this.reportNode('EL106', n, `a block inside ${name}'s block of words`);
      yield { items: n.items, scope: scope.clone() };
      return;
    }
    this.checkWord(n, { scope, cmd: name, role: 'block-word', foreign: false });
  }

  /** case's and trap's blocks: a word (a regex, a signal), then a block to run. */
  *pairs(b: Block, scope: Scope, name: string, role: 'case' | 'trap'): Steps {
    const items = b.items;
    for (let j = 0; j < items.length; j++) {
      const w = items[j];
      if (w.kind === 'block') {
        this.reportNode('EL106', w, `${name}: a block where a ${role === 'case' ? 'regular expression' : 'signal name'} is expected`);
        yield { items: w.items, scope: scope.clone() };
        continue;
      }
      this.checkWord(w, { scope, cmd: name, role: 'regex', foreign: false });
      const p = items[j + 1];
      if (p?.kind !== 'block') {
        this.reportNode('EL105', w, `${name}: ${JSON.stringify(w.value)} must be followed by a block to run`);
        continue;
      }
      j++;
      yield { items: p.items, scope: scope.clone() };
    }
  }

  /** multisubstitute's directives: their bindings, all made at once; returns whether elgetpositionals is among them. */
  subst(b: Block, scope: Scope, pending: Binding[]): boolean {
    const items = b.items;
    // the keys this multisubstitute binds, for the message when one's value refers to another
    const sameSubst = new Set<string>();
    for (let j = 0; j < items.length; j++) {
      const w = items[j];
      if (w.kind === 'word' && (w.value === 'define' || w.value === 'importas' || w.value === 'elglob')) {
        let k = j + 1;
        while (items[k]?.kind === 'word' && (items[k] as Word).value.startsWith('-')) k += /^-[^-]*[dD]$/.test((items[k] as Word).value) ? 2 : 1;
        const key = items[k];
        if (key?.kind === 'word') sameSubst.add(key.value);
      }
    }
    let positionals = false;
    let j = 0;
    while (j < items.length) {
      const d = items[j];
      if (d.kind === 'block') {
        this.reportNode('EL106', d, 'multisubstitute: a block where a directive is expected');
        j++;
        continue;
      }
      const name = d.value;
      if (!SUBST_DIRECTIVES.has(name)) {
        const instead = name === 'import' ? ': use importas VAR VAR' : name === 'backtick' ? ': run backtick -E before multisubstitute' : '';
        this.reportNode(
          'EL405',
          d,
          `multisubstitute does not know the directive ${name}${instead} (it takes define, importas, elglob, elgetpositionals and multidefine)`,
        );
        for (j++; j < items.length; j++) {
          const w = items[j];
          if (w.kind === 'word') this.checkWord(w, { scope, cmd: 'multisubstitute', role: 'arg', foreign: false });
        }
        break;
      }
      const spec = COMMANDS[name];
      this.commands.push({ start: d.span.start.offset, end: d.span.end.offset });
      this.checkWord(d, { scope, cmd: name, role: 'head', foreign: false });
      j++;
      const flags = new Set<string>();
      while (j < items.length) {
        const o = items[j];
        if (o.kind !== 'word' || o.value.length < 2 || o.value[0] !== '-') break;
        j++;
        this.checkWord(o, { scope, cmd: name, role: 'option', foreign: false });
        if (o.value === '--') break;
        let takesArg = false;
        for (let c = 1; c < o.value.length; c++) {
          const at = spec.opts.indexOf(o.value[c]);
          if (at < 0) {
            this.reportNode('EL107', o, `${name}: unknown option -${o.value[c]}`);
            continue;
          }
          flags.add(o.value[c]);
          if (spec.opts[at + 1] === ':') {
            takesArg = c === o.value.length - 1;
            break;
          }
        }
        if (takesArg && items[j]?.kind === 'word') this.checkWord(items[j++] as Word, { scope, cmd: name, role: 'option', foreign: false });
      }
      const operands: Word[] = [];
      for (let o = 0; o < spec.operands; o++) {
        const w = items[j];
        if (w?.kind !== 'word') {
          this.reportNode('EL107', d, `${name}: missing arguments`);
          break;
        }
        operands.push(w);
        this.checkWord(w, { scope, cmd: name, role: 'operand', foreign: false, sameSubst });
        j++;
      }
      if (name === 'elgetpositionals') positionals = true;
      else if (name === 'multidefine') {
        const keys = items[j];
        if (keys?.kind === 'block') {
          j++;
          for (const w of keys.items)
            if (w.kind === 'word') {
              this.checkWord(w, { scope, cmd: name, role: 'key', foreign: false });
              if (w.value !== '') pending.push(this.bind(w.value, name, w, { split: false, reportUnused: false }));
            }
        } else this.reportNode('EL105', d, 'multidefine expects a block of keys');
      } else if (operands[0]) {
        const b = this.bind(operands[0].value, name, operands[0], { split: name === 'elglob' || flags.has('s'), reportUnused: name === 'importas' });
        if (name === 'define' && operands[1] && !operands[1].value.includes('$')) b.value = operands[1].value;
        if (name === 'importas' && operands[1]) {
          b.envvar = operands[1].value;
          b.origin = scope.env.get(b.envvar);
        }
        pending.push(b);
      }
    }
    return positionals;
  }

  bind(key: string, by: string, node: Word | null, o: { split: boolean; reportUnused: boolean }): Binding {
    // a key made by substitution (import ${envvar}) is not known: never reported unused
    const b: Binding = { key, by, node, used: false, split: o.split, reportUnused: o.reportUnused && !key.includes('$') };
    this.bindings.push(b);
    return b;
  }

  // --- command-specific checks ---

  commandHead(head: Word, spec: CommandSpec): void {
    if (!spec.removed) return;
    const plain = head.raw === head.value;
    if (head.value === 'import') {
      // the fix needs the variable: done in commandOperands
      return;
    }
    this.reportNode('EL404', head, `${head.value} was removed upstream: use ${spec.removed}, which takes the same arguments`, {
      fix: plain ? { start: head.span.start.offset, end: head.span.end.offset, replacement: spec.removed } : undefined,
    });
  }

  commandOperands(head: Word, name: string, operands: Word[]): void {
    if (name === 'import') {
      const v = operands[0];
      const fix =
        v && head.raw === head.value
          ? {
              start: head.span.start.offset,
              end: v.span.end.offset,
              replacement: `importas${this.script.source.slice(head.span.end.offset, v.span.start.offset)}${v.raw} ${v.raw}`,
            }
          : undefined;
      this.reportNode('EL404', head, `import was removed in execline 2.5.0: use importas${v ? ` ${v.value} ${v.value}` : ' VAR VAR'}`, {
        severity: 'error',
        fix,
      });
    }
    if (name === 'export' && operands[0]) {
      const w = operands[0];
      const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(w.raw);
      if (m) {
        const rest = w.raw.slice(m[0].length);
        this.reportNode('EL203', w, `export takes the name and the value as two words: export ${m[1]} ${rest === '' ? '""' : rest}`, {
          fix: { start: w.span.start.offset, end: w.span.end.offset, replacement: `${m[1]} ${rest === '' ? '""' : rest}` },
        });
      }
    }
    if (name === 's6-setuidgid' && operands[0]) {
      const a = operands[0].value;
      if (a.includes(':') && !a.includes('$') && !/^\d+:\d+$/.test(a))
        this.reportNode(
          'EL401',
          operands[0],
          `s6-setuidgid takes an account name (or numeric uid:gid), not user:group: the groups come from the account (s6-setuidgid ${a.slice(0, a.indexOf(':'))}), or use s6-envuidgid and s6-applyuidgid -u/-g`,
        );
    }
  }

  negatedTest(name: string, optWords: Word[], test: string): void {
    const n = optWords.find((w) => /^-[A-Za-z]*n/.test(w.value)) ?? optWords[0];
    const code = test === 'eltest' || test === 's6-test' ? 100 : 2;
    this.reportNode(
      'EL403',
      n,
      `${name} -n { ${test} ... } also goes on when ${test} fails with an error (exit ${code}: an empty or non-numeric value where a number is compared): negate inside the test instead (${name} { ${test} ! ... })`,
    );
  }

  externalHead(head: Word, items: Node[], i: number): void {
    const v = head.value;
    const plain = head.raw === v;
    if (plain && SHELL_BUILTINS.has(v)) {
      this.reportNode('EL207', head, `${v} is a shell builtin or keyword, not a program: ${SHELL_BUILTINS.get(v)}`);
      return;
    }
    if (v === '[[') this.reportNode('EL207', head, '[[ is a shell keyword, not a program: use eltest');
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(head.raw);
    if (m) {
      const rest = head.raw.slice(m[0].length);
      this.reportNode('EL203', head, `a shell assignment: in execline, export ${m[1]} ${rest === '' ? '""' : rest} prog...`, {
        fix:
          items.length > i + 1
            ? { start: head.span.start.offset, end: head.span.end.offset, replacement: `export ${m[1]} ${rest === '' ? '""' : rest}` }
            : undefined,
      });
    }
  }

  // --- single quotes: they may span words, so a list at a time ---

  singleQuotes(items: Node[], from: number): void {
    for (let k = from; k < items.length; k++) {
      const w = items[k];
      if (w.kind !== 'word') continue;
      const p = openingQuote(w.raw);
      if (p < 0) continue;
      let last = k;
      const selfClosed = w.raw.length > p + 1 && w.raw.endsWith("'") && !w.raw.slice(p + 1, -1).includes("'");
      if (!selfClosed) {
        for (let m = k + 1; m < items.length; m++) {
          const x = items[m];
          if (x.kind !== 'word' || x.raw.includes('"')) break;
          if (x.raw.includes("'")) {
            if (x.raw.endsWith("'") && x.raw.indexOf("'") === x.raw.length - 1) last = m;
            break;
          }
        }
      }
      const start = w.span.start.offset;
      const end = items[last].span.end.offset;
      const closed = selfClosed || last > k;
      let fix: { start: number; end: number; replacement: string } | undefined;
      if (closed) {
        const inner = this.script.source.slice(start + p + 1, end - 1);
        const prefix = w.raw.slice(0, p);
        if (!/["\\$]/.test(inner) && !/["\\]/.test(prefix)) fix = { start, end, replacement: `${prefix}"${inner}"` };
      }
      const spans = last > k ? `, and the words between them are ${last - k + 1} words` : '';
      this.report(
        'EL201',
        start,
        end,
        closed
          ? `single quotes are not quoting in execline: the ' bytes are part of the word${spans}; use double quotes`
          : `a single quote is not quoting in execline: it is part of the word; use double quotes`,
        { fix },
      );
      k = last;
    }
  }

  // --- words ---

  checkWord(w: Word, use: WordUse): void {
    const d = decode(w.raw);
    const exact = d.value === w.value;
    const rawOffset = (vi: number) => w.span.start.offset + (exact && vi < d.rawAt.length ? d.rawAt[vi] : 0);
    const rawEnd = (vi: number) => (exact && vi < d.rawAt.length ? rawOffset(vi) : w.span.end.offset);
    const plain = w.raw === w.value;
    const skipShell = use.foreign && w.quoted;

    // glued braces
    if (!w.quoted && use.role !== 'regex') {
      const r = w.raw;
      if (r.length > 1 && r[0] === '{' && !r.includes('}') && r[1] !== '\\')
        this.reportNode('EL104', w, `"{" glued to "${r.slice(1)}" is one word, not the start of a block: put a space after {`, {
          fix: { start: w.span.start.offset, end: w.span.start.offset + 1, replacement: '{ ' },
        });
      else if (r.length > 1 && r.endsWith('}') && !r.includes('{') && r[r.length - 2] !== '\\')
        this.reportNode('EL104', w, `"}" glued to "${r.slice(0, -1)}" is one word, not the end of a block: put a space before }`, {
          fix: { start: w.span.end.offset - 1, end: w.span.end.offset, replacement: ' }' },
        });
    }

    // shell operators and redirections
    if (plain && (SHELL_OPERATORS.has(w.value) || REDIRECTION.test(w.value))) this.operator(w, use);

    // shell expansions
    if (!skipShell) this.expansions(w, d, rawOffset, rawEnd, use);

    // backslashes execlineb drops
    for (const e of d.escapes) this.backslash(w, e, d, use);

    // references
    for (const ref of refsOf(w.value)) this.reference(w, ref, use, rawOffset, rawEnd, d);
  }

  operator(w: Word, use: WordUse): void {
    const v = w.value;
    if (TESTS.has(use.cmd ?? '') && /^(?:<|>|<=|>=)$/.test(v)) return;
    // expr's operators are words
    if (use.cmd !== null && basename(use.cmd) === 'expr' && /^(?:<|>|<=|>=|\||&)$/.test(v)) return;
    if ((use.findExec && (v === ';' || v === '+')) || this.findEnds.has(w)) return;
    if (use.cmd === 'case' && use.role === 'regex') return;
    let instead: string;
    if (v === '|' || v === '|&') instead = 'pipeline { prog1... } prog2...';
    else if (v === '&&') instead = 'if { prog1... } prog2...';
    else if (v === '||') instead = 'ifelse -n { prog1... } { prog2... } rest, or foreground';
    else if (v === ';' || v === ';;') instead = 'foreground { prog1... } prog2...';
    else if (v === '&') instead = 'background { prog1... } prog2...';
    else if (v === '2>&1') instead = 'fdmove -c 2 1 before the program';
    else if (v === '&>' || v === '&>>') instead = `redirfd ${v === '&>' ? '-w' : '-a'} 1 FILE then fdmove -c 2 1 before the program`;
    else if (/^(?:1?>&2)$/.test(v)) instead = 'fdmove -c 1 2 before the program';
    else if (v.includes('>>')) instead = 'redirfd -a FD FILE before the program';
    else if (v.includes('>')) instead = 'redirfd -w FD FILE before the program';
    else if (v.startsWith('<<')) instead = 'heredoc FD STRING before the program';
    else instead = 'redirfd -r 0 FILE before the program';
    this.reportNode('EL202', w, `${JSON.stringify(v)} is not an operator in execline: it is passed to the program as an argument; use ${instead}`);
  }

  expansions(w: Word, d: Decoded, rawOffset: (i: number) => number, rawEnd: (i: number) => number, use: WordUse): void {
    const v = w.value;
    // (a quoted argument to a shell or another interpreter is not looked at: checkWord)
    // \$ or \`: the author meant it literal (and it is: execlineb drops the backslash, nothing substitutes it)
    const quotedOk = (i: number) => d.escapes.some((e) => e.valueIndex === i && (e.ch === '$' || e.ch === '`'));
    const param = /\$\{(?:[#!][A-Za-z_][A-Za-z0-9_]*|[A-Za-z_][A-Za-z0-9_]*(?::?[-=+?]|##?|%%?|\/\/?|:[0-9 ]|\^\^?|,,?|\[))[^}]*\}?/g;
    for (const m of v.matchAll(param)) {
      if (quotedOk(m.index)) continue;
      if (m.index > 0 && v[m.index - 1] === '\\') continue;
      const name = /[A-Za-z_][A-Za-z0-9_]*/.exec(m[0])![0];
      const dflt = /^\$\{[A-Za-z_][A-Za-z0-9_]*:?-(.*)\}$/.exec(m[0]);
      const hint = dflt
        ? `importas -D ${quoteHint(dflt[1])} ${name} ${name} before the command, then \${${name}}`
        : 'execline substitutes whole values only: compute the value with backtick -E and a program';
      this.report(
        'EL204',
        rawOffset(m.index),
        rawEnd(m.index + m[0].length - 1) + 1,
        `${m[0]} is a shell parameter expansion, not execline: it is passed as is; use ${hint}`,
      );
    }
    // $$ $* $! as shell parameters: not glued to letters on either side (pa$$word is a literal)
    const special = /(?<![A-Za-z0-9_])\$(?:\$|\*|!)(?![A-Za-z0-9_])/g;
    for (const m of v.matchAll(special)) {
      if (quotedOk(m.index)) continue;
      // $! after importas ! ! (or any binding of the name): execline substitutes it
      if (this.lookup(use.scope, m[0].slice(1))) continue;
      if (m.index > 0 && v[m.index - 1] === '\\') continue;
      const hint =
        m[0] === '$$'
          ? 'getpid -E PID, then ${PID}'
          : m[0] === '$*'
            ? '$@ with execlineb -s or -S'
            : 'background, which sets ! in the environment: importas PID !';
      this.report('EL204', rawOffset(m.index), rawOffset(m.index + 1) + 1, `${m[0]} is a shell special parameter, not execline: use ${hint}`);
    }
    for (const m of v.matchAll(/\$\(\(?/g)) {
      if (quotedOk(m.index)) continue;
      if (m.index > 0 && v[m.index - 1] === '\\') continue;
      const arith = m[0] === '$((';
      this.report(
        'EL205',
        rawOffset(m.index),
        rawOffset(m.index + 1) + 1,
        arith
          ? '$((...)) is shell arithmetic: execline has none; compute with a program in backtick -E'
          : '$(...) is shell command substitution, not execline: use backtick -E VAR { prog... } and ${VAR}',
      );
    }
    const bq = v.indexOf('`');
    const bqEnd = bq >= 0 ? v.indexOf('`', bq + 1) : -1;
    // `cmd` in one word, or `cmd arg...` split by execlineb into words (`hostname, -i`): the
    // opening backquote starts a word and no backquote closes it there.
    if (bq >= 0 && (bqEnd > bq || (bq === 0 && v.length > 1)) && !quotedOk(bq)) {
      this.report(
        'EL205',
        rawOffset(bq),
        bqEnd > bq ? rawEnd(bqEnd) + 1 : rawEnd(v.length - 1) + 1,
        'backquotes are shell command substitution, not execline: use backtick -E VAR { prog... } and ${VAR}',
      );
    }
  }

  backslash(w: Word, e: Escape, _d: Decoded, _use: WordUse): void {
    const c = e.ch;
    const at = w.span.start.offset + e.at;
    if (e.quoted) {
      if (c === '"' || c === '\\' || c === '\n' || CONTROL.includes(c) || isDigit(c) || c === '`') return;
    } else if (/[\s"\\#{}'$;|&<>()*?[\]~!`=]/.test(c) || c.charCodeAt(0) < 33) return;
    if (c === '$') return;
    // (Not even for sed's or perl's code: execlineb drops the backslash before they see it.)
    const where = e.quoted ? 'in a quoted string' : 'outside quotes';
    const also = c === 'e' && e.quoted ? ' (for the escape character, write \\033)' : '';
    this.report('EL206', at, at + 2, `execlineb drops this backslash ${where}: \\${c} is just ${c}; write \\\\${c} to pass a backslash${also}`);
  }

  reference(w: Word, ref: Ref, use: WordUse, rawOffset: (i: number) => number, rawEnd: (i: number) => number, d: Decoded): void {
    const start = rawOffset(ref.start);
    const end = rawEnd(ref.end - 1) + 1;
    const scope = use.scope;
    // A backslash execlineb dropped before a $ that is substituted: the author wanted it literal.
    if (!ref.literal) {
      const esc = d.escapes.find((e) => e.ch === '$' && e.valueIndex === ref.start);
      if (esc && this.lookup(scope, ref.name)) {
        this.report(
          'EL206',
          w.span.start.offset + esc.at,
          end,
          `execlineb drops this backslash, so ${w.value.slice(ref.start, ref.end)} is still substituted: write \\\\${w.value.slice(ref.start, ref.end)} to keep it literal`,
        );
        return;
      }
    }
    if (ref.literal) return;
    let name = ref.name;
    if (!ref.braced) {
      const id = IDENT.exec(name)?.[0];
      if (!id) return;
      if (id !== name) {
        if (this.lookup(scope, id)) {
          this.markUsed(scope, id);
          const canFix =
            rawOffset(ref.start + 1) === start + 1 && w.raw.slice(start - w.span.start.offset + 1, start - w.span.start.offset + 1 + id.length) === id;
          this.report(
            'EL303',
            start,
            end,
            `$${name} is not \${${id}} followed by ${JSON.stringify(name.slice(id.length))}: a bare name runs to the end of the word (or to $, {, } or \\); write \${${id}}${name.slice(id.length)}`,
            { fix: canFix ? { start, end: start + 1 + id.length, replacement: `\${${id}}` } : undefined },
          );
          return;
        }
        if (!/^[A-Za-z_]/.test(id)) return;
        name = id;
      }
    }
    const b = this.lookup(scope, name);
    if (b === true) return;
    if (b) {
      b.used = true;
      this.useChecks(w, ref, b, use, start, end);
      return;
    }
    if (POSITIONAL.test(name)) {
      this.positional(w, name, use, start, end);
      return;
    }
    if (use.foreign && w.quoted) return;
    const env = scope.env.get(name);
    if (env) {
      const how =
        env.by === 'export'
          ? `use define ${name} VALUE instead, or importas ${name} ${name} after it`
          : COMMANDS[env.by]?.opts.includes('E')
            ? `add -E to ${env.by}, or importas ${name} ${name} after it`
            : `importas ${name} ${name} after it`;
      this.report(
        'EL307',
        start,
        end,
        `${name} is put in the environment by ${env.by} (line ${env.node.span.start.line}), which execline does not substitute: ${how}`,
      );
      return;
    }
    if (use.sameSubst?.has(name))
      this.report(
        'EL301',
        start,
        end,
        `${name} is bound by this same multisubstitute, which substitutes all its keys at once: a value never sees another key's value; bind ${name} in a substitution before this one`,
      );
    else if (name === '?')
      this.report(
        'EL301',
        start,
        end,
        'execline has no $?: foreground, if and others put the exit code in the environment as ?: importas -u STATUS ? then ${STATUS}',
      );
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      this.report(
        'EL301',
        start,
        end,
        `no substitution binds ${name} here, and execline does not substitute the environment: add importas ${name} ${name} (or define) before the command`,
      );
  }

  /** The binding of a key in a scope: a Binding, true for a positional parameter the #! line or elgetpositionals binds, or null. */
  lookup(scope: Scope, key: string): Binding | true | null {
    const b = scope.bindings.get(key);
    if (b) return b;
    if (POSITIONAL.test(key)) {
      if (scope.positionals) return true;
      const m = this.mode;
      if (m.kind === 'S' && (key === '#' || key === '@' || Number(key) <= m.n)) return true;
    }
    return null;
  }

  markUsed(scope: Scope, key: string): void {
    const b = scope.bindings.get(key);
    if (b) b.used = true;
  }

  positional(w: Word, name: string, use: WordUse, start: number, end: number): void {
    if (use.foreign && w.quoted) return;
    const m = this.mode;
    const show = name.length === 1 && /[0-9#@]/.test(name) ? `$${name}` : `\${${name}}`;
    if (m.kind === 'unknown') return;
    if (m.kind === 'S') {
      // $k beyond -S n: substituted only when the script gets k arguments (a finish script gets 3)
      // -S0 says "any number of arguments": $1 there is the author's choice
      if ((this.finish && Number(name) <= 3) || m.n === 0) return;
      this.report(
        'EL302',
        start,
        end,
        `${show} is substituted only when the script gets at least ${name} argument${name === '1' ? '' : 's'} (the #! line says -${m.flag}${m.n}): use -${m.flag}${name} to always substitute it`,
        {
          severity: 'info',
        },
      );
      return;
    }
    if (this.finish) {
      const fix = this.finishFix();
      this.report(
        'EL402',
        start,
        end,
        `s6-supervise runs finish with the exit code and the signal as $1 and $2, but ${m.kind === 'P' ? 'the #! line says -P: positional parameters are never substituted' : 'without -S or -s they are in the environment, not substituted'}: use #!/command/execlineb -S${fix?.n ?? 1}`,
        { fix: fix?.fix },
      );
      return;
    }
    if (m.kind === 'P')
      this.report('EL302', start, end, `${show} is never substituted: the #! line says -P (no positional parameters); use -S1 (or -s1 for $@ as the rest)`);
    else
      this.report(
        'EL302',
        start,
        end,
        `${show} is not substituted: without -S or -s on the #! line, positional parameters are only put in the environment; use -S N, or elgetpositionals`,
        { severity: 'warning' },
      );
  }

  /** For a finish script: the #! line with -S N instead of -P (N the highest parameter it uses, at least 1). */
  finishFix(): { n: number; fix?: { start: number; end: number; replacement: string } } | undefined {
    let n = 1;
    for (const ref of this.allRefs) if (/^[1-9]$/.test(ref)) n = Math.max(n, Number(ref));
    const at = this.shebang?.flagsAt;
    if (!at) return { n };
    if ('insertAt' in at) return { n, fix: { start: at.insertAt, end: at.insertAt, replacement: ` -S${n}` } };
    if (at.text === '-P' || at.text === '-p') return { n, fix: { start: at.offset, end: at.offset + at.text.length, replacement: `-S${n}` } };
    return { n };
  }

  allRefs: Set<string> = new Set();

  useChecks(w: Word, ref: Ref, b: Binding, use: WordUse, start: number, end: number): void {
    const whole = w.value.length === ref.end - ref.start;
    // a value that may end with a newline, pasted into a longer word
    const o = b.origin;
    if (!whole && o && (o.by === 'backtick' || o.by === 'withstdinas') && o.flags.has('N') && !b.reportedNewline) {
      b.reportedNewline = true;
      if (o.flags.has('N'))
        this.report(
          'EL306',
          start,
          end,
          `${b.key} comes from ${o.by} -N (line ${o.node.span.start.line}), which keeps the final newline: here it is pasted inside a word; drop -N`,
        );
    }
    // a list meant as several words, substituted as one
    if (
      whole &&
      !w.quoted &&
      !b.split &&
      !b.reportedUnsplit &&
      b.node &&
      (use.role === 'arg' || use.role === 'head') &&
      use.cmd !== null &&
      !Object.hasOwn(COMMANDS, use.cmd)
    ) {
      const spaced = b.by === 'define' && b.value !== undefined && /\s/.test(b.value);
      const names = [b.key, b.envvar ?? ''];
      const listy =
        (b.by === 'importas' || b.by === 'import') && (names.some((n) => LISTY.test(n)) || (use.role === 'head' && names.some((n) => COMMANDY.test(n))));
      if (spaced || listy) {
        b.reportedUnsplit = true;
        this.reportNode(
          'EL305',
          b.node,
          `${b.key} ${spaced ? 'has spaces in its value' : 'looks like a list'} but is substituted as one word (line ${w.span.start.line}): add -s to ${b.by} to split it into words`,
        );
      }
    }
  }
}

/** Whether a test can fail with an error rather than be false: it compares numbers, or a word of it is substituted. */
/** Chain commands whose program may be missing (they then exit 0), as execline 2.9.3 behaves. */
const OPTIONAL_PROG = new Set([
  'define',
  'elglob',
  'importas',
  'import',
  'withstdinas',
  'elgetpositionals',
  'posix-cd',
  'posix-umask',
  'with-contenv',
  'import-from-envdir',
]);

function mayFail(items: Node[]): boolean {
  if (items.some((n) => n.kind === 'word' && /^-(?:eq|ne|lt|le|gt|ge)$/.test(n.value))) return true;
  // A unary test of one word (eltest -z $D, -d $D) cannot fail on an empty value: it is false.
  const words = items.slice(1);
  if (words.length === 2 && words[0].kind === 'word' && /^-[A-Za-z]$/.test(words[0].value) && words[1].kind === 'word') return false;
  return items.some((n) => n.kind === 'word' && n.value.includes('$'));
}

/** The command a head word names (by its base name when it is a path: /usr/bin/if is if), or null for an external program. */
function commandName(v: string): string | null {
  const name = v.includes('/') && !v.includes('$') ? basename(v) : v;
  return Object.hasOwn(COMMANDS, name) ? name : null;
}

/** Where a word's single-quoted part opens (at its start, or after `=`), or -1. */
function openingQuote(raw: string): number {
  if (raw[0] === "'") return 0;
  const m = /^[^"'\\]*='/.exec(raw);
  return m ? m[0].length - 1 : -1;
}

function quoteHint(v: string): string {
  return /^[A-Za-z0-9_./:-]+$/.test(v) ? v : JSON.stringify(v);
}

function usageOf(name: string, spec: CommandSpec): string {
  const opts: string[] = [];
  for (let i = 0; i < spec.opts.length; i++) {
    const c = spec.opts[i];
    if (spec.opts[i + 1] === ':') {
      opts.push(`-${c} ARG`);
      i++;
    } else opts.push(`-${c}`);
  }
  const parts = [name];
  if (opts.length) parts.push(`[ ${opts.join(' | ')} ]`);
  for (let i = 0; i < spec.operands; i++) parts.push('ARG');
  for (const b of spec.blocks) parts.push(b === 'prog' ? '{ prog... }' : '{ ... }');
  parts.push(spec.rest === 'prog' ? 'prog...' : 'args...');
  return parts.join(' ');
}

// --- comments that turn rules off -------------------------------------------------------------

interface Directive {
  ids: Set<string>;
  file: boolean;
  /** Where the comment ends: the next command after it is the one it covers. */
  after: number;
  /** The comment ends a line that has words before it: it covers that line. */
  line?: number;
}

function directivesOf(script: Script): Directive[] {
  const out: Directive[] = [];
  for (const c of script.comments) {
    const m = /^#\s*execline-lint\s+(disable|disable-file)\s*=\s*([A-Za-z0-9_,\s]+)$/.exec(c.text.replace(/\r$/, ''));
    if (!m) continue;
    const ids = new Set(
      m[2]
        .split(/[\s,]+/)
        .filter(Boolean)
        .map((s) => s.toUpperCase()),
    );
    const lineStart = script.source.lastIndexOf('\n', c.span.start.offset - 1) + 1;
    const trailing = /[^\s]/.test(script.source.slice(lineStart, c.span.start.offset));
    out.push({ ids, file: m[1] === 'disable-file', after: c.span.end.offset, line: trailing ? c.span.start.line : undefined });
  }
  return out;
}

/** What each directive covers: the file, a line, or the stretch of the next command. */
function coverage(directives: Directive[], commands: CommandExtent[]): Array<{ d: Directive; start: number; end: number }> {
  return directives.map((d) => {
    let next: CommandExtent | undefined;
    for (const c of commands) if (c.start >= d.after && (!next || c.start < next.start)) next = c;
    return { d, start: next?.start ?? -1, end: next ? Math.max(next.end, next.start + 1) : -1 };
  });
}

function suppressed(f: Finding, offset: number, covered: ReturnType<typeof coverage>): boolean {
  for (const { d, start, end } of covered) {
    if (!d.ids.has(f.id) && !d.ids.has('ALL')) continue;
    if (d.file) return true;
    if (d.line !== undefined ? f.line === d.line : offset >= start && offset < end) return true;
  }
  return false;
}

// --- the entry point -------------------------------------------------------------------------

const PARSE_RULE: Record<string, string> = {
  'unterminated-quote': 'EL100',
  'unclosed-block': 'EL101',
  'stray-close': 'EL102',
  'trailing-backslash': 'EL103',
  'bad-escape': 'EL103',
};

/**
 * Lints an execline script. `text` is the script's bytes as a byte string (one char per byte, as
 * readFileSync(file, 'latin1') gives; a string with chars above 255 is taken as text and encoded
 * in UTF-8). Lines and columns are 1-based, columns count bytes; the end is just after the last
 * byte. Findings come in source order.
 */
export function lint(text: string, options: LintOptions = {}): Finding[] {
  const file = options.file ?? '-';
  let script = parse(text);
  const source = script.source;
  const early: Array<(l: Linter) => void> = [];

  // #! line
  let shebang: ShebangInfo | null = script.shebang ? readShebang(script.shebang.text, 0) : null;
  const bom = source.startsWith('\xef\xbb\xbf');
  if (!script.shebang) {
    // a #! line that is not first: after blank lines, leading blanks or a byte-order mark
    const firstComment = script.comments[0];
    const firstItem = script.items[0];
    const misplaced = bom && source.slice(3).startsWith('#!') ? 3 : -1;
    if (misplaced >= 0) {
      script = parse(`   ${source.slice(3)}`);
      script.source = source;
      shebang = readShebang(source.slice(3).split('\n')[0], 3);
      early.push((l) => l.report('EL110', 0, 3, 'a byte-order mark before #!: the kernel does not see the #! line; save the file without BOM'));
    } else if (firstComment?.text.startsWith('#!') && (!firstItem || firstItem.span.start.offset > firstComment.span.start.offset)) {
      const c = firstComment;
      shebang = readShebang(c.text, c.span.start.offset);
      early.push((l) =>
        l.report(
          'EL110',
          c.span.start.offset,
          c.span.end.offset,
          `the #! line must be the first bytes of the file (it is on line ${c.span.start.line}, column ${c.span.start.column}): the kernel does not see it here`,
        ),
      );
    }
  }
  const linter = new Linter(script, file, shebang);
  for (const e of early) e(linter);
  const l = linter;

  if (shebang) {
    const sb = script.shebang ?? { text: '', span: { start: { offset: 0 }, end: { offset: 0 } } };
    const end = script.shebang ? sb.span.end.offset : 0;
    if (shebang.arg !== null && /[ \t]/.test(shebang.arg) && !(basename(shebang.interpreter) === 'env' && shebang.arg.startsWith('-S'))) {
      const first = shebang.arg.split(/[ \t]+/)[0];
      l.report(
        'EL111',
        0,
        end,
        `Linux passes everything after the interpreter as one argument: ${basename(shebang.interpreter)} gets ${JSON.stringify(shebang.arg)} as one word; keep one argument (${first})${basename(shebang.interpreter) === 'execlineb' ? ', options glued together (-WP)' : ''}`,
      );
    }
    if (script.shebang && sb.text.endsWith('\r'))
      l.report(
        'EL112',
        0,
        end,
        `the #! line ends with CR (CRLF line endings): the kernel passes the CR as part of ${shebang.arg === null ? 'the interpreter name' : 'the argument'}; convert the file to LF line endings`,
        {
          severity: 'error',
        },
      );
  } else if (/^(?:run|finish)$/.test(basename(file))) {
    l.report(
      'EL113',
      0,
      0,
      `a ${basename(file)} script needs a #! line (#!/command/execlineb -P): s6-supervise executes it directly, nothing reads it as execline`,
    );
  }
  if (shebang && !shebang.execline) {
    // Another language's script (with-contenv sh, /bin/sh): only the #! line is ours to judge.
    return finish(l, script);
  }

  for (const e of script.errors) l.report(PARSE_RULE[e.id] ?? 'EL103', e.span.start.offset, e.span.end.offset, e.message);
  if (script.nul) l.report('EL103', script.nul.offset, script.nul.offset + 1, 'a NUL byte: execlineb reads the script only up to it', { severity: 'warning' });
  if ((script.lineEndings === 'crlf' || script.lineEndings === 'mixed') && !script.shebang?.text.endsWith('\r')) {
    const at = source.indexOf('\r\n');
    l.report(
      'EL112',
      at,
      at + 1,
      `CRLF line endings${script.lineEndings === 'mixed' ? ' (on some lines)' : ''}: execlineb takes CR for a blank, but it stays in quoted strings that span lines; convert the file to LF`,
    );
  }

  // every reference, for the finish fix (the highest positional parameter used), and single
  // quotes, a list at a time: every list, the script's first, then each block's before what
  // follows it (a stack of the lists to do, not one JavaScript frame per level: any depth)
  const lists = [script.items];
  while (lists.length) {
    const items = lists.pop()!;
    l.singleQuotes(items, 0);
    for (const n of items) if (n.kind === 'word') for (const r of refsOf(n.value)) l.allRefs.add(r.name);
    for (let k = items.length - 1; k >= 0; k--) {
      const n = items[k];
      if (n.kind === 'block') lists.push(n.items);
    }
  }
  l.walkProgram(script.items, new Scope());
  for (const b of l.bindings) {
    if (b.reportUnused && !b.used && b.node)
      l.reportNode(
        'EL304',
        b.node,
        `${b.key} is imported by ${b.by} but never used${b.envvar && b.envvar !== b.key ? ` (it holds ${b.envvar})` : ''}: a typo in \${${b.key}}, or an importas to drop`,
      );
  }
  return finish(l, script);
}

function finish(l: Linter, script: Script): Finding[] {
  const covered = coverage(directivesOf(script), l.commands);
  return l.findings
    .filter(({ f, offset }) => !suppressed(f, offset, covered))
    .sort((a, b) => a.offset - b.offset || a.f.id.localeCompare(b.f.id))
    .map(({ f }) => f)
    .filter((f, i, all) => i === 0 || !sameFinding(all[i - 1], f));
}

function sameFinding(a: Finding, b: Finding): boolean {
  return a.id === b.id && a.line === b.line && a.column === b.column && a.message === b.message;
}

/** The rule a finding's ID names (its page is docs/lint/ID.md). */
export function ruleOf(id: string) {
  return RULE_BY_ID.get(id);
}

export const RULE_IDS: string[] = RULES.map((r) => r.id);

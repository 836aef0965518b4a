// The substitution directives (skarnet's exlsn functions): define, importas, import, multidefine,
// elgetpositionals. Each reads its own options and arguments from an argv, adds its bindings to
// an accumulator and says how many words it used, so the same code serves the standalone commands
// and multisubstitute, which runs several of them and substitutes them all in one pass.
import { getopt } from './getopt.js';
import { BlockUnterminated, readBlock } from './block.js';
import { Exit, strerror, strictComplaint, warn } from './errors.js';
import { substitute, type Binding } from '../language/substitute.js';
import { DEFAULT_DELIM, NetstringError, transform, type TransformOptions } from '../language/transform.js';
import type { Context } from './context.js';
import { GlobAborted, glob, type GlobOptions } from '../toolkit/glob.js';
import { uint0Scan } from '../toolkit/numbers.js';

/** Why a directive failed, as the reference tells them apart. */
export class DirectiveError extends Error {
  constructor(
    public readonly kind: 'usage' | 'key' | 'system' | 'empty' | 'notset',
    message = '',
  ) {
    super(message);
  }
}

export interface Accumulator {
  bindings: Binding[];
  /** Variables to remove from the environment once substituted (importas -u). */
  unexport: string[];
  /**
   * Every value word the directives produced, in order, as the reference keeps them in one
   * buffer; starts[k] is where bindings[k]'s words begin. Needed for multidefine -r, which (in
   * the reference) resizes a binding by its index among all the bindings so far, so that its
   * words may run on into the next directive's.
   */
  buffer: string[];
  starts: number[];
}

/** A fresh accumulator. */
export function accumulator(): Accumulator {
  return { bindings: [], unexport: [], buffer: [], starts: [] };
}

/** Binds key to a list of words (the words are appended to the buffer). */
export function bind(acc: Accumulator, key: string, values: string[]): Binding {
  const b = { key, values };
  acc.starts.push(acc.buffer.length);
  acc.buffer.push(...values);
  acc.bindings.push(b);
  return b;
}

export type Directive = (ctx: Context, argv: readonly string[], start: number, acc: Accumulator) => number;

/** A key must be non-empty and not bound twice in one substitution. */
function checkKey(acc: Accumulator, key: string): void {
  if (key === '' || acc.bindings.some((b) => b.key === key)) throw new DirectiveError('key');
}

function addKey(acc: Accumulator, key: string, values: string[]): void {
  checkKey(acc, key);
  bind(acc, key, values);
}

function applyTransform(value: string, t: TransformOptions): string[] {
  try {
    return transform(value, t);
  } catch (e) {
    if (e instanceof NetstringError) throw new DirectiveError('system', 'Invalid argument');
    throw e;
  }
}

/** Reads the transform options (-s -C -c -n -N -d) of a directive; others are handled by `other`. */
function parseOptions(argv: readonly string[], start: number, spec: string, t: TransformOptions, other?: (key: string, arg: string) => void): number {
  const r = getopt(argv, spec, start + 1);
  if (!r) throw new DirectiveError('usage');
  for (const o of r.opts) {
    if (o.key === 's') t.split = true;
    else if (o.key === 'C') t.crunch = true;
    else if (o.key === 'c') t.crunch = false;
    else if (o.key === 'n') t.chomp = true;
    else if (o.key === 'N') t.chomp = false;
    else if (o.key === 'd') t.delim = o.arg;
    else other?.(o.key, o.arg);
  }
  return r.index;
}

function newTransform(split = false): TransformOptions {
  return { split, crunch: false, chomp: false, delim: DEFAULT_DELIM };
}

/** define [ -N | -n ] [ -s ] [ -C | -c ] [ -d delim ] key value */
export const defineDirective: Directive = (_ctx, argv, start, acc) => {
  const t = newTransform();
  const i = parseOptions(argv, start, 'NnsCcd:', t);
  if (argv.length - i < 2) throw new DirectiveError('usage');
  const key = argv[i];
  checkKey(acc, key); // the key is checked before the value is transformed, as the reference does
  addKey(acc, key, applyTransform(argv[i + 1], t));
  return i + 2 - start;
};

function importDirective(as: number): Directive {
  return (ctx, argv, start, acc) => {
    const t = newTransform();
    let insist = false;
    let unexport = false;
    let def: string | undefined;
    const i = parseOptions(argv, start, 'iuD:NnsCcd:', t, (k, a) => {
      if (k === 'i') insist = true;
      else if (k === 'u') unexport = true;
      else if (k === 'D') def = a;
    });
    if (argv.length - i < 1 + as) throw new DirectiveError('usage');
    const key = argv[i];
    const name = argv[i + as];
    checkKey(acc, key);
    let value = ctx.env.get(name);
    if (value === undefined) {
      if (insist) throw new DirectiveError('notset', `${name} not set`);
      value = def;
    } else if (unexport) acc.unexport.push(name);
    addKey(acc, key, value === undefined ? [] : applyTransform(value, t));
    return i + 1 + as - start;
  };
}

/** importas [ -i | -D default ] [ -u ] [ -N | -n ] [ -s ] [ -C | -c ] [ -d delim ] key var */
export const importasDirective = importDirective(1);
/** import (pre-2.x): the same with the variable's name as key. */
export const importDirectiveOld = importDirective(0);

/** multidefine [ -0 ] [ -r ] [ -C | -c ] [ -N | -n ] [ -d delim ] value { vars... } */
export const multidefineDirective: Directive = (ctx, argv, start, acc) => {
  const t = newTransform(true);
  let zero = false;
  let likeRead = false;
  const i = parseOptions(argv, start, '0rNnCcd:', t, (k) => {
    if (k === '0') zero = true;
    else if (k === 'r') likeRead = true;
  });
  if (argv.length - i < 2) throw new DirectiveError('usage');
  const words = applyTransformLater(argv[i], t);
  let block: ReturnType<typeof readBlock>;
  try {
    block = readBlock(ctx, argv, i + 1);
  } catch (e) {
    if (e instanceof BlockUnterminated) throw new DirectiveError('usage');
    throw e;
  }
  const vars = block.argv;
  if (vars.length === 0) throw new DirectiveError('empty');
  const values = words();
  const base = acc.buffer.length;
  acc.buffer.push(...values, ''); // the reference ends the list with one more, empty, word
  vars.forEach((v, k) => {
    if (v === '') return;
    checkKey(acc, v);
    acc.starts.push(k < values.length ? base + k : base + values.length);
    acc.bindings.push({ key: v, values: k < values.length ? [values[k]] : zero ? [] : [''] });
  });
  // -r: the reference gives the leftover words to the last binding made so far (the last
  // variable's, unless that one is empty: then an earlier one, maybe another directive's) by
  // making it max - vars + 1 words long from where its words start in the shared buffer.
  if (likeRead && vars.length < values.length) {
    const k = acc.bindings.length - 1;
    if (k >= 0) {
      const from = acc.starts[k];
      acc.bindings[k].values = acc.buffer.slice(from, from + values.length - vars.length + 1);
    }
  }
  return block.next - start;
};

function applyTransformLater(value: string, t: TransformOptions): () => string[] {
  return () => applyTransform(value, t);
}

/** elgetpositionals [ -P sharp ]: #, 0..max(n, sharp) and @ from the environment. */
export const elgetpositionalsDirective: Directive = (ctx, argv, start, acc) => {
  const r = getopt(argv, 'P:', start + 1);
  if (!r) throw new DirectiveError('usage');
  let sharp = 0;
  for (const o of r.opts) {
    const v = uint0Scan(o.arg);
    if (v === null) throw new DirectiveError('usage');
    sharp = v;
  }
  // The reference reports a missing or bad frame as a bad substitution key (111).
  const x = ctx.env.get('#');
  const n = x === undefined ? null : uint0Scan(x);
  if (x === undefined || n === null) throw new DirectiveError('key');
  const get = (k: string) => {
    const v = ctx.env.get(k);
    if (v === undefined) throw new DirectiveError('key');
    return v;
  };
  const strict = ctx.strictness();
  if (n < sharp) strictComplaint(ctx.prog, strict, `too few arguments: expected at least ${sharp} but got ${n}`);
  // The reference's layout: #, 0, 1..max(n, sharp) in that order, then @, whose words are the
  // ones of 1..n (it matters to multidefine -r, which resizes the last binding).
  checkKey(acc, '#');
  checkKey(acc, '@');
  addKey(acc, '#', [x]);
  addKey(acc, '0', [get('0')]);
  const firstArg = acc.buffer.length;
  const all: string[] = [];
  for (let k = 1; k <= Math.max(n, sharp); k++) {
    const v = k <= n ? get(String(k)) : '';
    if (k <= n) all.push(v);
    addKey(acc, String(k), [v]);
  }
  checkKey(acc, '@');
  acc.starts.push(firstArg);
  acc.bindings.push({ key: '@', values: all });
  return r.index - start;
};

/** Substitutes what the directives bound into argv, drops the unexported variables, goes on. */
export function substituteAndContinue(ctx: Context, argv: readonly string[], acc: Accumulator): string[] {
  const out = substitute(argv, acc.bindings);
  if (acc.unexport.length) ctx.mergeEnv(acc.unexport.map((name) => [name, null] as const));
  if (out.length === 0) throw new Exit(0);
  return out;
}

/** elglob [ -v ] [ -w ] [ -s ] [ -m ] [ -e ] [ -0 ] key pattern: the matches, one word each. */
export const elglobDirective: Directive = (ctx, argv, start, acc) => {
  const r = getopt(argv, 'vwsme0', start + 1);
  if (!r) throw new DirectiveError('usage');
  const o: GlobOptions = { nocheck: true };
  let verbose = false;
  for (const opt of r.opts) {
    if (opt.key === 'v') verbose = true;
    else if (opt.key === 'w') o.err = true;
    else if (opt.key === 's') o.sort = true;
    else if (opt.key === 'm') o.mark = true;
    else if (opt.key === 'e') o.noescape = true;
    else if (opt.key === '0') o.nocheck = false;
  }
  const i = r.index;
  if (argv.length - i < 2) throw new DirectiveError('usage');
  const key = argv[i];
  if (key === '' || acc.bindings.some((b) => b.key === key)) throw new DirectiveError('key');
  if (verbose) o.onError = (dir, e) => warn(ctx.prog, `while globbing, error reading ${dir}: ${strerror(e)}`);
  let values: string[];
  try {
    values = glob(argv[i + 1], o);
  } catch (e) {
    if (e instanceof GlobAborted) throw new DirectiveError('system', strerror(e.cause));
    throw e;
  }
  acc.bindings.push({ key, values });
  return i + 2 - start;
};

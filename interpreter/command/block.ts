// Reading a block from an argv, as el_semicolon does: words that begin with a space belong to the
// block (one space removed), an empty word ends it. An unquoted word inside a block is kept, with
// a warning under EXECLINE_STRICT=1 and a fatal error under EXECLINE_STRICT=2.
import type { Context } from './context.js';
import { Die, EXIT_USAGE, fatal, fatalText, strictComplaint } from './errors.js';

export interface Block {
  /** The block's command line, unquoted one level. */
  argv: string[];
  /** Index in the argv just after the block's terminating empty word. */
  next: number;
}

/** Reads block number `nblock` (1 for a command's first block) starting at argv[start]. */
export function readBlock(ctx: Context, argv: readonly string[], start: number, nblock = 1): Block {
  const strict = ctx.strictness();
  const out: string[] = [];
  for (let i = start; i < argv.length; i++) {
    const w = argv[i];
    if (w === '') return { argv: out, next: i + 1 };
    if (w.charCodeAt(0) === 32) out.push(w.slice(1));
    else {
      if (strict) strictComplaint(ctx.prog, strict, `unquoted argument ${w} at block ${nblock} position ${i - start}`);
      out.push(w);
    }
  }
  throw new BlockUnterminated(EXIT_USAGE, fatalText(ctx.prog, 'unterminated block'));
}

/** A block without its terminating empty word. */
export class BlockUnterminated extends Die {}

/** readBlock, with the command's own message when the block is not terminated. */
export function readNamedBlock(ctx: Context, argv: readonly string[], start: number, nblock: number, unterminated: string): Block {
  if (argv.indexOf('', start) >= 0) return readBlock(ctx, argv, start, nblock);
  readBlock(ctx, argv.concat(['']), start, nblock); // the unquoted-word checks come first
  fatal(ctx.prog, EXIT_USAGE, unterminated);
}

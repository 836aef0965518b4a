// backtick: runs a block, stores its output in a variable, and goes on; -i/-I/-x/-D say what to
// do when the block fails or its output holds a NUL byte, -N keeps a final newline.
import { defineCommand, options, requireVariable } from '../command/command.js';
import { readBlock } from '../command/block.js';
import { Exit, EXIT_USAGE, fatal, fatalSpawn, usage, warn } from '../command/errors.js';
import { fromBuffer } from '../language/bytes.js';
import { finishCapture, startCapture } from '../command/loops.js';
import { approximate } from '../command/child.js';

export const backtick = defineCommand({
  names: ['backtick'],
  prog: 'backtick',
  usage: 'backtick [ -i | -I | -x | -D default ] [ -N | -n ] [ -E | -e ] var { prog... } remainder...',
  async run(ctx, argv) {
    const { opts, index } = options(this, argv, 'iIxD:NnEe');
    let mode = 'i';
    let def = '';
    let chomp = true;
    let doimport = false;
    for (const o of opts) {
      if (o.key === 'N' || o.key === 'n') chomp = o.key === 'n';
      else if (o.key === 'E' || o.key === 'e') doimport = o.key === 'E';
      else {
        mode = o.key;
        if (o.key === 'D') def = o.arg;
      }
    }
    if (argv.length - index < 2) usage(this.prog, this.usage);
    const variable = argv[index];
    requireVariable(this.prog, variable);
    const block = readBlock(ctx, argv, index + 1);
    if (block.argv.length === 0) fatal(this.prog, EXIT_USAGE, 'empty block');
    const c = await startCapture(ctx, block.argv);
    if ('spawnError' in c) fatalSpawn(this.prog, block.argv[0], c.spawnError);
    const { data, status } = await finishCapture(c);
    // null: the variable is removed.
    let value: string | null = fromBuffer(data);
    let useChomp = chomp;
    if (status.signal || status.code) {
      if (mode === 'i') {
        fatal(this.prog, approximate(status), status.signal ? 'child process crashed' : 'child process exited non-zero');
      }
      if (mode === 'x') value = null;
      else if (mode === 'D') {
        value = def;
        useChomp = false;
      }
    }
    if ((value !== null && !(status.code || status.signal)) || mode === 'I') {
      const z = value!.indexOf('\0');
      if (z >= 0) {
        if (mode === 'i') fatal(this.prog, 124, 'child process output contained a null character');
        if (mode === 'I') value = value!.slice(0, z);
        else {
          warn(this.prog, 'child process output contained a null character');
          if (mode === 'x') value = null;
          else {
            value = def;
            useChomp = false;
          }
        }
      }
    }
    if (value !== null && useChomp && value.endsWith('\n')) value = value.slice(0, -1);
    const rest = argv.slice(block.next);
    if (rest.length === 0) throw new Exit(0);
    if (value === null) ctx.mergeEnv([[variable, null]]);
    else ctx.setEnv(variable, value);
    return doimport ? ['importas', '-ui', variable, variable, ...rest] : rest;
  },
});

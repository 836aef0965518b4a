// forstdin: runs a loop body once per line (or delimited element, or netstring) of its stdin,
// with the element in a variable; exits 1 when stdin held no element.
import { defineCommand } from '../command/command.js';
import { fdSource, validVariable } from '../command/loops.js';
import { forstdinLoop, splitOptions } from '../command/forstdin-loop.js';
import { fatal, usage } from '../command/errors.js';

export const forstdin = defineCommand({
  names: ['forstdin'],
  prog: 'forstdin',
  usage: 'forstdin [ -E | -e ] [ -p | -o okcode,okcode,... | -x breakcode,breakcode,... ] [ -N | -n ] [ -C | -c ] [ -0 | -d delim ] var command...',
  async run(ctx, argv) {
    const { set, index } = splitOptions(this, argv, 'pP:NnCc0d:o:x:Ee');
    if (argv.length - index < 2) usage(this.prog, this.usage);
    const variable = argv[index];
    if (!validVariable(variable)) fatal(this.prog, 100, 'invalid variable name');
    return forstdinLoop(ctx, this.prog, variable, argv.slice(index + 1), fdSource(ctx.realFd(0)), set);
  },
});

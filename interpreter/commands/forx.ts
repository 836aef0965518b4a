// forx: runs a loop body once per word of a block, with the word in a variable; -p/-P run the
// bodies concurrently, -o/-x decide which exit codes end the loop.
import { defineCommand, options, requireVariable } from '../command/command.js';
import { readBlock } from '../command/block.js';
import { Exit, usage } from '../command/errors.js';
import { uint0Scan } from '../toolkit/numbers.js';
import { Pool, defaultCodeTest, iterationArgv, keepsGoing, loopCode, runIteration, scanCodes, withVariable } from '../command/loops.js';

export const forx = defineCommand({
  names: ['forx'],
  prog: 'forx',
  usage: 'forx [ -E | -e ] [ -p ] [ -o okcode,okcode,... | -x breakcode,breakcode,... ] var { values... } command...',
  async run(ctx, argv) {
    const { opts, index } = options(this, argv, 'pP:o:x:Ee');
    let maxpar = 1;
    let doimport = false;
    const test = defaultCodeTest();
    for (const o of opts) {
      if (o.key === 'p') maxpar = Infinity;
      else if (o.key === 'P') {
        const n = uint0Scan(o.arg);
        if (n === null) usage(this.prog, this.usage);
        maxpar = n;
      } else if (o.key === 'o' || o.key === 'x') {
        const codes = scanCodes(o.arg);
        if (!codes) usage(this.prog, this.usage);
        test.codes = codes;
        test.breakList = o.key === 'x';
        test.given = true;
      } else doimport = o.key === 'E';
    }
    if (argv.length - index < 2) usage(this.prog, this.usage);
    const variable = argv[index];
    requireVariable(this.prog, variable);
    const block = readBlock(ctx, argv, index + 1);
    const values = block.argv;
    const body = argv.slice(block.next);
    if (values.length === 0 || body.length === 0) throw new Exit(0);
    if (maxpar < 1) maxpar = 1;
    const run = iterationArgv(body, variable, doimport);
    if (maxpar === 1) {
      for (const v of values) {
        const s = await runIteration(withVariable(ctx, variable, v), this.prog, run, body[0]);
        if (!keepsGoing(test, s)) throw new Exit(loopCode(s));
      }
      throw new Exit(0);
    }
    const pool = new Pool(maxpar);
    for (const v of values) await pool.add(withVariable(ctx, variable, v), this.prog, run, body[0]);
    await pool.drain();
    throw new Exit(test.given && pool.statuses.some((s) => !keepsGoing(test, s)) ? 1 : 0);
  },
});

// printcontenv (s6-overlay): prints the value of a variable of the container environment, as
// with-contenv would set it; exits 1 if the variable is not there. When S6_KEEP_ENV keeps the
// environment (s6-overlay v3 then writes no container environment), it prints the variable from
// its own environment instead, as s6-overlay's script does (`eval var=\$$1`, exit 1 if empty).
import { closeSync, openSync } from 'node:fs';
import { defineCommand } from '../interpreter/command/command.js';
import { Exit, EXIT_SYS, EXIT_USAGE, fatal, fatalSys, writeStdout } from '../interpreter/command/errors.js';
import { fromBuffer, toBuffer } from '../interpreter/language/bytes.js';
import { readAll } from '../interpreter/toolkit/io.js';
import { contenvDir, keepEnvPrintcontenv } from '../interpreter/toolkit/contenv.js';

export const printcontenv = defineCommand({
  names: ['printcontenv'],
  prog: 'printcontenv',
  usage: 'printcontenv variable',
  run(ctx, argv) {
    // s6-overlay's wording, not a usage line.
    if (argv.length < 2) fatal(this.prog, EXIT_USAGE, 'too few arguments');
    const name = argv[1];
    if (keepEnvPrintcontenv(ctx.env.get('S6_KEEP_ENV'))) {
      // Only a shell variable name can be looked up by the script's eval.
      const value = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? ctx.env.get(name) : undefined;
      if (value === undefined || value === '') throw new Exit(1);
      writeStdout(this.prog, ctx.realFd(1), value + '\n');
      throw new Exit(0);
    }
    if (name === '' || name.includes('/') || name.includes('=')) throw new Exit(1);
    let fd: number;
    try {
      fd = openSync(toBuffer(contenvDir() + '/' + name), 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new Exit(1);
      fatalSys(this.prog, EXIT_SYS, `read ${name}`, e);
    }
    let data: Buffer;
    try {
      data = readAll(fd);
    } catch (e) {
      fatalSys(this.prog, EXIT_SYS, `read ${name}`, e);
    } finally {
      closeSync(fd);
    }
    const content = fromBuffer(data);
    if (content === '') throw new Exit(1);
    const value = (content.endsWith('\n') ? content.slice(0, -1) : content).split('\0').join('\n');
    writeStdout(this.prog, ctx.realFd(1), value + '\n');
    throw new Exit(0);
  },
});

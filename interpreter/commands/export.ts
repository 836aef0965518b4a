// export: sets an environment variable for the rest of the chain.
import { defineCommand } from '../command.js';
import { usage } from '../errors.js';
import { setEnv } from '../env.js';

export const exportCmd = defineCommand({
  names: ['export'],
  prog: 'export',
  usage: 'export variable value prog...',
  run(st, argv) {
    if (argv.length < 4) usage(this.prog, this.usage);
    const name = argv[1];
    if (name === '' || name.includes('=')) usage(this.prog, this.usage);
    setEnv(st, name, argv[2]);
    return argv.slice(3);
  },
});

// with-contenv (s6-overlay v3): runs a program with the container environment. Unless
// S6_KEEP_ENV says to keep the environment (its leading digits are not all zeros, as s6-overlay's
// `eltest 0${S6_KEEP_ENV} -eq 0` decides), that is `emptyenv -p` followed by `s6-envdir -Lf` on
// the container environment directory; with it, the environment is kept.
import { defineCommand } from '../interpreter/command/command.js';
import { EXIT_SYS, fatalSys, usage } from '../interpreter/command/errors.js';
import { readEnvdir } from '../interpreter/toolkit/envdir.js';
import { contenvDir, keepEnvWithContenv } from '../interpreter/toolkit/contenv.js';

export const withContenv = defineCommand({
  names: ['with-contenv'],
  prog: 'with-contenv',
  usage: 'with-contenv prog...',
  run(ctx, argv) {
    if (argv.length < 2) usage(this.prog, this.usage);
    if (keepEnvWithContenv(ctx.env.get('S6_KEEP_ENV'))) return argv.slice(1);
    const dir = contenvDir();
    let changes: ReturnType<typeof readEnvdir>;
    try {
      changes = readEnvdir(dir, { verbatim: true, noChomp: false, noClamp: true, nullis: '\n' });
    } catch (e) {
      fatalSys('s6-envdir', EXIT_SYS, `envdir ${dir}`, e);
    }
    const path = ctx.env.get('PATH');
    ctx.clearEnv();
    if (path !== undefined) ctx.setEnv('PATH', path);
    ctx.mergeEnv(changes);
    return argv.slice(1);
  },
});

/*
 * sigguard.so: preloaded into every Node process of ours (by the launcher and by spawnSelf), it
 * keeps Node from ignoring SIGPIPE and SIGXFSZ while it starts. Node sets both to SIG_IGN before
 * any of our code runs, and setting a pending signal to SIG_IGN discards it: a SIGPIPE sent to a
 * chain in its first ~30 ms would be lost, where the C process it stands for dies of it. With the
 * guard, those two stay at the disposition the starter left (the default), blocked like every
 * signal until main.ts has set the C process's dispositions (native.c setupSignals), and a
 * pending one is then delivered. Every other sigaction call goes through unchanged. The guard
 * removes LD_PRELOAD from the environment as it loads, so no program ever inherits it.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

typedef int (*sigaction_fn)(int, const struct sigaction *, struct sigaction *);

__attribute__((constructor)) static void guard_init(void) {
  unsetenv("LD_PRELOAD");
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *old) {
  static sigaction_fn real;
  if (!real) real = (sigaction_fn)dlsym(RTLD_NEXT, "sigaction");
  if ((sig == SIGPIPE || sig == SIGXFSZ) && act && !(act->sa_flags & SA_SIGINFO) && act->sa_handler == SIG_IGN) {
    /* Node's start-up ignoring it: leave the disposition as it is. */
    return old ? real(sig, NULL, old) : 0;
  }
  return real(sig, act, old);
}

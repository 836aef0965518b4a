/*
 * sigguard.so: preloaded into every Node process of ours (by the launcher and by spawnSelf), it
 * keeps Node's start-up from changing the signals of the process it stands for, until the
 * interpreter has set them as the C process would have them (native.c setupSignals, which calls
 * sigguard_release):
 *  - Node resets every disposition to the default (an ignored SIGHUP from nohup, SIGINT and
 *    SIGQUIT from `cmd &`) and ignores SIGPIPE and SIGXFSZ: the guard leaves each disposition as
 *    the process started with it, so no signal sent meanwhile kills where the C process would
 *    ignore it, or is discarded (a pending signal set to SIG_IGN is dropped) where it would die.
 *  - Node unblocks signals: the guard keeps blocked what was blocked at start (the starter blocks
 *    everything), so the threads Node starts never take a signal, and one sent meanwhile is
 *    delivered once the dispositions are right.
 * Every other call goes through. The guard removes LD_PRELOAD from the environment as it loads,
 * so no program ever inherits it.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

typedef int (*sigaction_fn)(int, const struct sigaction *, struct sigaction *);
typedef int (*mask_fn)(int, const sigset_t *, sigset_t *);

static volatile int released;
static sigset_t held; /* blocked at start */

__attribute__((constructor)) static void guard_init(void) {
  unsetenv("LD_PRELOAD");
  sigprocmask(SIG_SETMASK, NULL, &held);
}

/* Called by the interpreter once it has set the dispositions and the mask. */
void sigguard_release(void) {
  released = 1;
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *old) {
  static sigaction_fn real;
  if (!real) real = (sigaction_fn)dlsym(RTLD_NEXT, "sigaction");
  if (!released && act && !(act->sa_flags & SA_SIGINFO) && (act->sa_handler == SIG_IGN || act->sa_handler == SIG_DFL)) {
    /* Node's start-up setting a disposition: leave it as the process started with it. */
    return old ? real(sig, NULL, old) : 0;
  }
  return real(sig, act, old);
}

/* The mask asked for, with every signal held at start kept blocked until release. */
static const sigset_t *keep(int how, const sigset_t *set, sigset_t *tmp) {
  if (released || !set) return set;
  *tmp = *set;
  if (how == SIG_UNBLOCK) {
    for (int s = 1; s < NSIG; s++) if (sigismember(&held, s) == 1) sigdelset(tmp, s);
  } else if (how == SIG_SETMASK) {
    for (int s = 1; s < NSIG; s++) if (sigismember(&held, s) == 1) sigaddset(tmp, s);
  }
  return tmp;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old) {
  static mask_fn real;
  if (!real) real = (mask_fn)dlsym(RTLD_NEXT, "sigprocmask");
  sigset_t tmp;
  return real(how, keep(how, set, &tmp), old);
}

int pthread_sigmask(int how, const sigset_t *set, sigset_t *old) {
  static mask_fn real;
  if (!real) real = (mask_fn)dlsym(RTLD_NEXT, "pthread_sigmask");
  sigset_t tmp;
  return real(how, keep(how, set, &tmp), old);
}

#include "CursesShim.h"

#include <string.h>

static volatile sig_atomic_t repute_pending_signal = 0;
static const int repute_signals[] = {SIGINT, SIGTERM, SIGHUP};

static void repute_record_signal(int signo) { repute_pending_signal = signo; }

void repute_install_signal_flags(void) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = repute_record_signal;
  sigemptyset(&action.sa_mask);
  // No SA_RESTART: a read blocked in get_wch returns at once, so the loop sees the flag quickly.
  action.sa_flags = 0;
  for (unsigned i = 0; i < sizeof repute_signals / sizeof repute_signals[0]; i++) {
    sigaction(repute_signals[i], &action, NULL);
  }
}

int repute_take_signal(void) {
  int signo = repute_pending_signal;
  repute_pending_signal = 0;
  return signo;
}

void repute_restore_signal_handlers(void) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = SIG_DFL;
  sigemptyset(&action.sa_mask);
  for (unsigned i = 0; i < sizeof repute_signals / sizeof repute_signals[0]; i++) {
    sigaction(repute_signals[i], &action, NULL);
  }
}

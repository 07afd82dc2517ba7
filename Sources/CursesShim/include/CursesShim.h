#ifndef REPUTE_CURSES_SHIM_H
#define REPUTE_CURSES_SHIM_H
// Shims for what Swift cannot import from curses: function-like macros (A_BOLD, getmaxyx,
// COLOR_PAIR), mutable globals Swift 6 rejects as not concurrency-safe (stdscr, LINES, COLS,
// COLORS, ESCDELAY), and a signal flag the UI loop polls.
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <ncursesw/curses.h>
#include <signal.h>
#include <wchar.h>

// glibc declares wcwidth only under _XOPEN_SOURCE, which the Swift Glibc module is built without.
extern int wcwidth(wchar_t c);
/// The columns the C library (and so ncurses) gives a character: -1 unprintable, 0, 1 or 2.
static inline int repute_wcwidth(wchar_t c) { return wcwidth(c); }

static inline WINDOW *repute_stdscr(void) { return stdscr; }
static inline int repute_lines(void) { return LINES; }
static inline int repute_cols(void) { return COLS; }
static inline int repute_colors(void) { return COLORS; }
static inline int repute_color_pairs(void) { return COLOR_PAIRS; }
static inline void repute_getmaxyx(WINDOW *win, int *rows, int *cols) {
  int y, x;
  getmaxyx(win, y, x);
  *rows = y;
  *cols = x;
}

static inline attr_t repute_a_normal(void) { return A_NORMAL; }
static inline attr_t repute_a_bold(void) { return A_BOLD; }
static inline attr_t repute_a_dim(void) { return A_DIM; }
static inline attr_t repute_a_reverse(void) { return A_REVERSE; }
static inline attr_t repute_a_underline(void) { return A_UNDERLINE; }
static inline attr_t repute_a_italic(void) { return A_ITALIC; }

static inline int repute_key_code_yes(void) { return KEY_CODE_YES; }
static inline int repute_key_f(int n) { return KEY_F(n); }

static inline mmask_t repute_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t repute_button1_released(void) { return BUTTON1_RELEASED; }
static inline mmask_t repute_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t repute_button2_pressed(void) { return BUTTON2_PRESSED; }
static inline mmask_t repute_button2_clicked(void) { return BUTTON2_CLICKED; }
static inline mmask_t repute_button3_pressed(void) { return BUTTON3_PRESSED; }
static inline mmask_t repute_button3_clicked(void) { return BUTTON3_CLICKED; }
static inline mmask_t repute_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t repute_button5_pressed(void) { return BUTTON5_PRESSED; }
static inline mmask_t repute_button_shift(void) { return BUTTON_SHIFT; }
static inline mmask_t repute_button_ctrl(void) { return BUTTON_CTRL; }
static inline mmask_t repute_button_alt(void) { return BUTTON_ALT; }

/// Sets ncurses' ESC delay in milliseconds (the ESCDELAY global is not importable in Swift 6).
static inline int repute_set_escdelay(int ms) { return set_escdelay(ms); }

/// Installs handlers that only record the signal; the UI loop reads it with
/// repute_take_signal() and restores the terminal itself (endwin is not async-signal-safe).
void repute_install_signal_flags(void);
/// Returns the last signal caught (SIGINT, SIGTERM, SIGHUP) and clears it; 0 when none.
int repute_take_signal(void);
/// Restores the default handlers for the signals repute_install_signal_flags took over.
void repute_restore_signal_handlers(void);

#endif

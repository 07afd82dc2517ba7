#ifndef REPUTE_CNCURSESW_SHIM_H
#define REPUTE_CNCURSESW_SHIM_H
// The wide-character API (cchar_t, setcchar, wadd_wch, get_wch) is only declared with these set.
// SwiftPM ignores the -D flags pkg-config would give, so they are defined here.
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <ncursesw/curses.h>
#endif

/* actornet — helpers shared by the renderer (render.c) and the reports (report.c).
 * Never installed; no Graphviz type in here. */
#ifndef ACTORNET_GRAPH_RENDER_INTERNAL_H
#define ACTORNET_GRAPH_RENDER_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "actornet/common.h"
#include "actornet/network.h"

/* A growable NUL-terminated string. `oom` latches the first allocation
 * failure so that callers append freely and check once. */
typedef struct an_i_sbuf {
    char *s;
    size_t len, cap;
    int oom;
} an_i_sbuf;

void an_i_sbuf_free(an_i_sbuf *b);
void an_i_sbuf_putn(an_i_sbuf *b, const char *s, size_t n);
void an_i_sbuf_puts(an_i_sbuf *b, const char *s);
void an_i_sbuf_putc(an_i_sbuf *b, char c);
void an_i_sbuf_printf(an_i_sbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Empties the buffer but keeps its storage. */
void an_i_sbuf_reset(an_i_sbuf *b);

/* Decodes one UTF-8 character of s (NUL-terminated) at *pos and advances *pos.
 * Invalid, overlong or surrogate sequences consume one byte and yield U+FFFD.
 * Returns 0 at the end of the string. */
uint32_t an_i_utf8_next(const char *s, size_t *pos, size_t *len);

/* Characters never written into a map or a Markdown report: C0/C1 controls
 * (newline and tab are handled by the callers), DEL, U+FFFE, U+FFFF. */
int an_i_is_dropped_char(uint32_t cp);

/* Writes x with `decimals` fixed decimals into buf (size >= 64), independent of
 * LC_NUMERIC; -0 and values that round to zero print as 0. Returns 0 and writes
 * `nan_text` for NaN and infinities. */
int an_i_fmt_fixed(char *buf, size_t size, double x, int decimals, const char *nan_text);

/* Node indices ordered by PageRank (descending, NaN last), ties by label (byte
 * order) when by_label, else by node index. Caller frees with an_i_free. */
size_t *an_i_order_by_pagerank(const an_graph_view *v, int by_label);

#endif

/* actornet — helpers shared by the renderer (render.c) and the reports (report.c).
 * Never installed; no Graphviz type in here. */
#ifndef ACTORNET_GRAPH_RENDER_INTERNAL_H
#define ACTORNET_GRAPH_RENDER_INTERNAL_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "actornet/common.h"
#include "actornet/evidence.h"
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
/* ", resolution R" when the view's community detection ran at a resolution other
 * than 1 (and one is recorded), else nothing: for the reports' method lines. */
void an_i_put_resolution(an_i_sbuf *b, const an_graph_view *v);

/* Node indices ordered by PageRank (descending, NaN last), ties by label (byte
 * order) when by_label, else by node index. Caller frees with an_i_free. */
size_t *an_i_order_by_pagerank(const an_graph_view *v, int by_label);

/* Like an_i_utf8_next on the first len bytes of s (NUL is an ordinary byte,
 * returned as U+0000 with *clen 1). Returns 0 with *clen 0 at the end. */
uint32_t an_i_utf8_next_n(const char *s, size_t len, size_t *pos, size_t *clen);

/* XML 1.0 text or attribute value: & < > " ' as entities, tab/LF/CR as
 * character references (so attribute values keep them), other C0 controls,
 * U+FFFE and U+FFFF dropped, invalid UTF-8 as U+FFFD. NULL s writes nothing. */
void an_i_xml_escape(an_i_sbuf *b, const char *s, size_t len);
void an_i_xml_str(an_i_sbuf *b, const char *s); /* NUL-terminated, NULL = "" */

/* A JSON string (RFC 8259) with its quotes. Invalid UTF-8 becomes \ufffd.
 * html_safe: also < > & U+2028 U+2029 as \u escapes, so the text can sit
 * inside an HTML <script> element. NULL s writes "". */
void an_i_json_escape(an_i_sbuf *b, const char *s, size_t len, int html_safe);
void an_i_json_str(an_i_sbuf *b, const char *s, int html_safe);
/* A JSON number with up to 10 decimals (trailing zeros trimmed); null for
 * NaN and infinities. Independent of LC_NUMERIC. */
void an_i_json_num(an_i_sbuf *b, double x);
/* The view's filter steps as JSON array elements (without the brackets):
 * {"name":..,"detail":..,"edges_removed":..,"actors_removed":..}, ... */
void an_i_json_filter_steps(an_i_sbuf *b, const an_graph_view *v);

/* Buffered writer over a caller's FILE *: append to .b, flush now and then,
 * finish once (reports AN_ENOMEM / AN_EIO naming `what`). */
typedef struct an_i_writer {
    FILE *f;
    an_i_sbuf b;
    int io;
    int io_errno; /* errno of the write that failed (0: none known) */
} an_i_writer;
void an_i_w_flush(an_i_writer *w);
void an_i_w_maybe_flush(an_i_writer *w);
an_status an_i_w_finish(an_i_writer *w, const char *what, an_error *err);

/* AN_EINVAL (naming `what`) for a NULL view, missing arrays or an edge that
 * refers to a missing node. */
an_status an_i_check_view(const an_graph_view *v, const char *what, an_error *err);

/* The common start of the report writers: *o = dflt (initialised) when NULL,
 * then AN_EINVAL (naming `what`) without an output stream or a valid view. */
struct an_report_options;
an_status an_i_report_begin(const an_graph_view *v, const struct an_report_options **o,
                            struct an_report_options *dflt, FILE *out, const char *what,
                            an_error *err);

/* A highlighted mention inside an evidence text: byte offsets relative to
 * it->text, who = 1 for actor a, 2 for actor b. */
typedef struct an_i_mark {
    size_t start, end;
    int who;
} an_i_mark;
/* The mentions of it that lie inside its text copy, sorted, without
 * overlaps; out must hold 2 * AN_EVIDENCE_MAX_SPANS. Returns their number. */
size_t an_i_evidence_marks(const an_evidence_item *it, an_i_mark *out);

/* "doc":…,"doc_seq":…,"start":…,"end":…,"text_start":…,"text":… of an
 * evidence record: the members the evidence JSONL and the JSON report share. */
void an_i_json_evidence_fields(an_i_sbuf *b, const an_evidence_item *it);

#endif

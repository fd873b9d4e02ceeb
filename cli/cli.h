/* actornet CLI — shared declarations of the command's own files (not a library API). */
#ifndef ACTORNET_CLI_H
#define ACTORNET_CLI_H

#include <stdio.h>

#include "actornet/actornet.h"

#define EXIT_MISUSE 2

extern const char *g_prog;
extern int g_quiet;

/* "actornet: " + message + newline on stderr. */
void msg(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
/* "actornet: [context: ]file:line:column: message". */
void msg_error(const char *context, const an_error *err);

/* A growable byte buffer: the library's an_buffer, so that the reader can append
 * a document's text to one (an_reader_next_into). The CLI keeps the default
 * allocator, realloc, which sb_reserve uses too. Functions return 0, or -1 on out
 * of memory (b unchanged except for capacity). */
typedef an_buffer strbuf;
/* From now on, msg() on the calling thread appends its lines to sink (NULL:
 * stderr again), so that a thread's messages can be printed in order later. */
void msg_capture(strbuf *sink);

int sb_reserve(strbuf *b, size_t extra);
int sb_put(strbuf *b, const char *s, size_t n);
int sb_u64(strbuf *b, uint64_t v);
/* JSON string literal of n bytes: control characters escaped, invalid UTF-8
 * replaced by U+FFFD, so the result is valid JSON whatever the bytes. */
int sb_json_string(strbuf *b, const char *s, size_t n);

/* Output files written atomically: to a temporary beside the target, renamed by
 * out_commit() after a checked close. "-" is stdout; devices, FIFOs and other
 * non-regular files are written in place. */
typedef struct outfile {
    const char *path;
    char *tmp;
    FILE *fp;
} outfile;
void out_init(void);                         /* call before threads start */
int out_open(outfile *f, const char *path);  /* 0 or -1 (message printed) */
void out_abort(outfile *f);                  /* discard */
int out_commit(outfile *f);                  /* 0 or -1 (message printed, nothing left) */

/* Progress line on stderr, only when it is a terminal and not --quiet. */
typedef struct progress {
    int enabled;
    double start, last;
    uint64_t docs;
} progress;
void progress_init(progress *p);
void progress_tick(progress *p, uint64_t docs, uint64_t bytes, uint64_t total_bytes);
void progress_done(progress *p, uint64_t docs, uint64_t bytes, uint64_t total_bytes);
/* The progress line (no "\r", no newline) into buf, as snprintf: documents, MB and
 * MB/s after `seconds`, then the share done and the time left when total_bytes is
 * known and the line is not the final one. */
int progress_format(char *buf, size_t size, uint64_t docs, uint64_t bytes, uint64_t total_bytes,
                    double seconds, int final);

/* Total size of the regular files under the inputs, for the progress ETA; 0 when
 * unknown (stdin) or when there is no progress line (-q, stderr not a terminal):
 * then nothing is walked. */
uint64_t inputs_total_bytes(const char *const *inputs, size_t n);

/* The corpus pass: read documents, scan them on `threads` worker threads, count
 * co-mentions and/or print mentions. Output order and counts do not depend on the
 * number of threads. */
typedef struct engine_config {
    const an_gazetteer *gz;
    const an_matcher *matcher;
    an_reader *reader;
    unsigned threads;          /* >= 1 */
    int print_mentions;        /* JSON lines on stdout */
    int count;                 /* fill *counts */
    an_count_options count_opts;
    int by_period;             /* one counts section per period of the document date */
    an_period period;
    size_t evidence_k;         /* > 0: keep up to K evidence windows per pair and actor */
    int evidence_pairs_only;   /* non-zero: no windows of single actors (an_evidence_keep_actors) */
    uint64_t total_bytes;      /* for the progress ETA; 0 = unknown */
} engine_config;

/* The evidence of a run, one store per worker thread: merged
 * (evidence_parts_merge) only when an output reads it, so that at -j N the
 * merge does not hold up the analysis. */
typedef struct evidence_parts {
    an_evidence **part;
    size_t n;
} evidence_parts;

/* Returns 0 on success, else the exit code (message printed). On success and
 * with cfg->count, *counts is a new set (section "all", or one section per
 * period) the caller destroys; with cfg->evidence_k, *evidence holds the
 * stores, for evidence_parts_free (either pointer may be NULL when not
 * wanted). */
int engine_run(const engine_config *cfg, an_counts_set **counts, evidence_parts *evidence);

/* All parts merged into one store, *out (NULL when there are none); the parts
 * are gone either way. */
an_status evidence_parts_merge(evidence_parts *p, an_evidence **out);
void evidence_parts_free(evidence_parts *p);

/* RFC 4180 field: quoted when it holds a comma, quote, CR or LF. */
void csv_field(FILE *out, const char *s);

#endif

/* actornet — reading documents: files, directories, stdin, JSON Lines.
 *
 * A reader walks its inputs in the order given (directories recursively, entries
 * sorted bytewise so that runs are deterministic) and yields one document at a
 * time. The document's strings belong to the reader and stay valid until the
 * next an_reader_next() or an_reader_destroy().
 */
#ifndef ACTORNET_TEXT_H
#define ACTORNET_TEXT_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum an_input_format {
    AN_INPUT_AUTO = 0, /* ".jsonl"/".ndjson" files are JSONL, everything else (and stdin) text */
    AN_INPUT_TEXT = 1, /* one document per file */
    AN_INPUT_JSONL = 2 /* one document per line: {"text":..., "id":..., "date":..., "title":...} */
} an_input_format;

typedef struct an_document {
    const char *id;      /* text files: the path as given (directory entries: dir/entry);
                            JSONL: the "id" field, else the 0-based line number as text */
    const char *title;   /* NULL when absent */
    int32_t date;        /* YYYYMMDD, 0 when absent */
    const char *text;    /* UTF-8 as read (not validated); NUL-terminated */
    size_t len;          /* bytes in text */
    const char *source;  /* the file it came from ("-" for stdin) */
    unsigned long line;  /* JSONL: 1-based line number; text: 0 */
} an_document;

/* Called for each recoverable problem (a skipped JSONL line, an unparsable date,
 * a binary file, ...). The reader goes on unless options.strict is set, in which
 * case the problem becomes the error of an_reader_next(). */
typedef void (*an_warning_fn)(void *ctx, const an_error *warning);

typedef struct an_reader_options {
    an_input_format format;
    int strict;          /* non-zero: every warning is an error */
    an_warning_fn warn;  /* may be NULL */
    void *warn_ctx;
} an_reader_options;

typedef struct an_reader an_reader;

/* `inputs` are paths, directories or "-" (stdin); copied. opts may be NULL. */
AN_EXPORT an_status an_reader_create(const char *const *inputs, size_t n_inputs,
                                     const an_reader_options *opts, an_reader **out,
                                     an_error *err);
AN_EXPORT void an_reader_destroy(an_reader *r);

/* Next document. Sets *done to 1 (and leaves doc untouched) at the end.
 * Errors (unreadable file, strict-mode warning) carry file and line. */
AN_EXPORT an_status an_reader_next(an_reader *r, an_document *doc, int *done, an_error *err);

/* A byte buffer the caller owns. data is grown with the allocator of
 * an_set_allocator() (realloc by default) and freed by the caller with the
 * same one (free by default); {NULL, 0, 0} is an empty buffer. */
typedef struct an_buffer {
    char *data;
    size_t len; /* bytes in use */
    size_t cap; /* bytes allocated */
} an_buffer;

/* an_reader_next(), but the document's text is appended to *buf, followed
 * by a NUL, instead of held by the reader: a text file is read straight
 * into it, which saves copying every byte once more when the caller keeps
 * documents (the command line's batches do). On success doc->text points
 * into buf->data at the old buf->len, and buf->len grew by doc->len + 1;
 * the other strings of doc belong to the reader as with an_reader_next().
 * buf->data may move (the caller keeps offsets, not pointers). At the end,
 * on a skipped file and on errors, buf->len is unchanged (its capacity may
 * have grown). */
AN_EXPORT an_status an_reader_next_into(an_reader *r, an_document *doc, int *done,
                                        an_buffer *buf, an_error *err);

/* Bytes of input consumed so far (for progress lines). */
AN_EXPORT uint64_t an_reader_bytes_read(const an_reader *r);

/* Parse "YYYY-MM-DD", "YYYYMMDD" or an ISO 8601 timestamp starting with a date
 * into YYYYMMDD. Returns AN_EPARSE on anything else or an impossible date. */
AN_EXPORT an_status an_parse_date(const char *s, size_t len, int32_t *out);

#ifdef __cplusplus
}
#endif
#endif

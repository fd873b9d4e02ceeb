/* actornet CLI — the corpus pass on N threads.
 *
 * The main thread reads documents (the reader is sequential) and packs them into
 * batches; N - 1 worker threads scan and count them, and so does the main thread
 * whenever every batch slot is taken (N threads in all for -j N, so none of them
 * waits for a core); batches are flushed in the order they were read, so printed
 * mentions are in input order whatever the thread count.
 * Each worker has its own an_mentions and an_counts; the counts are merged at the
 * end (the merge is exact), so the counts, too, do not depend on the thread count.
 * Memory is bounded: at most 2 * threads + 1 batches of about BATCH_BYTES exist.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { BATCH_DOCS = 256, BATCH_BYTES = 1 << 20 };

typedef struct doc_ref {
    size_t id_off, text_off, text_len;
    int32_t date;
    uint64_t seq; /* position in the whole input: orders evidence independently of threads */
} doc_ref;

typedef enum slot_state { SLOT_FREE, SLOT_PENDING, SLOT_BUSY, SLOT_DONE } slot_state;

typedef struct batch {
    size_t seq;
    slot_state state;
    doc_ref *docs;
    size_t n_docs, cap_docs;
    strbuf text; /* documents' ids and texts (doc_ref offsets) */
    strbuf out;  /* printed mentions */
    an_status status;
    an_error err;
    size_t err_doc;
} batch;

typedef struct worker {
    struct engine *e;
    an_mentions m;
    an_counts_set *counts; /* one section per period ("all" without --by) */
    an_evidence *evidence; /* NULL unless cfg->evidence_k */
    pthread_t thread;
    int started;
} worker;

typedef struct engine {
    const engine_config *cfg;
    batch *slots;
    size_t n_slots;
    size_t next_take;  /* seq of the next batch a worker takes */
    int closing;       /* no more batches will come */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    worker *workers;
    strbuf actor_json;      /* print_mentions: ,"actor":"ID"}\n of every actor */
    size_t *actor_json_off; /* n_actor_json + 1 offsets into actor_json */
    size_t n_actor_json;
} engine;

/* Records the document whose text an_reader_next_into() has just put in the
 * batch's buffer at text_off, and copies its id there (the reader's strings
 * live only until its next call). */
static int batch_add(batch *b, const an_document *d, size_t text_off, uint64_t seq) {
    if (b->n_docs == b->cap_docs) {
        size_t cap = b->cap_docs ? 2 * b->cap_docs : 64;
        doc_ref *p = realloc(b->docs, cap * sizeof *p);
        if (!p) return -1;
        b->docs = p;
        b->cap_docs = cap;
    }
    size_t id_off = b->text.len;
    if (sb_put(&b->text, d->id, strlen(d->id) + 1)) return -1;
    doc_ref *r = &b->docs[b->n_docs++];
    r->id_off = id_off;
    r->text_off = text_off;
    r->text_len = d->len;
    r->date = d->date;
    r->seq = seq;
    return 0;
}

#define PUT_LIT(sb, lit) sb_put(sb, lit, sizeof lit - 1)

/* One JSON object per mention, built in the batch's buffer (stdio per byte is the
 * bottleneck otherwise). The document's part is escaped once per document and
 * each actor's tail once per run (engine.actor_json). Returns 0 or -1 on out of
 * memory. */
static int print_mentions(const engine *e, strbuf *sb, const char *id, const char *text,
                          const an_mentions *m) {
    if (m->count == 0) return 0;
    size_t head_at = sb->len;
    if (PUT_LIT(sb, "{\"doc\":") || sb_json_string(sb, id, strlen(id)) ||
        PUT_LIT(sb, ",\"start\":"))
        return -1;
    size_t head_len = sb->len - head_at;
    int first = 1;
    for (size_t k = 0; k < m->count; k++) {
        const an_mention *x = &m->items[k];
        if (x->actor >= e->n_actor_json) continue;
        size_t a0 = e->actor_json_off[x->actor], a1 = e->actor_json_off[x->actor + 1];
        if (a0 == a1) continue; /* not an actor of the gazetteer (cannot happen) */
        if (!first) {
            if (sb_reserve(sb, head_len)) return -1;
            memcpy(sb->data + sb->len, sb->data + head_at, head_len);
            sb->len += head_len;
        }
        first = 0;
        if (sb_u64(sb, x->start) || PUT_LIT(sb, ",\"end\":") || sb_u64(sb, x->end) ||
            PUT_LIT(sb, ",\"text\":") ||
            sb_json_string(sb, text + x->start, x->end - x->start) ||
            sb_put(sb, e->actor_json.data + a0, a1 - a0))
            return -1;
    }
    if (first) sb->len = head_at; /* nothing printed */
    return 0;
}

/* ,"actor":"ID"}\n of every actor, for print_mentions. */
static int build_actor_json(engine *e) {
    size_t n = an_gazetteer_actor_count(e->cfg->gz);
    e->actor_json_off = calloc(n + 1, sizeof *e->actor_json_off);
    if (!e->actor_json_off) return -1;
    for (size_t a = 0; a < n; a++) {
        an_actor_info ai;
        e->actor_json_off[a] = e->actor_json.len;
        if (an_gazetteer_actor(e->cfg->gz, a, &ai) == AN_OK &&
            (PUT_LIT(&e->actor_json, ",\"actor\":") ||
             sb_json_string(&e->actor_json, ai.id, strlen(ai.id)) ||
             PUT_LIT(&e->actor_json, "}\n")))
            return -1;
    }
    e->actor_json_off[n] = e->actor_json.len;
    e->n_actor_json = n;
    return 0;
}

static void batch_process(worker *w, batch *b) {
    const engine_config *cfg = w->e->cfg;
    for (size_t i = 0; i < b->n_docs && b->status == AN_OK; i++) {
        const doc_ref *r = &b->docs[i];
        const char *text = b->text.data + r->text_off;
        an_status s = an_matcher_scan(cfg->matcher, text, r->text_len, r->date, &w->m, &b->err);
        if (s == AN_OK && w->counts) {
            char key[16] = "all";
            if (cfg->by_period) an_period_key(r->date, cfg->period, key);
            an_counts *c = NULL;
            s = an_counts_set_get_or_create(w->counts, key, &c);
            if (s == AN_OK) s = an_counts_add(c, &w->m);
        }
        if (s == AN_OK && w->evidence) {
            s = an_evidence_add(w->evidence, r->seq, b->text.data + r->id_off, text, r->text_len,
                                &w->m, &cfg->count_opts);
            if (s == AN_EIO) {
                /* the store spills to a temporary file (include/actornet/evidence.h) */
                int e = errno;
                b->err.status = s;
                snprintf(b->err.message, sizeof b->err.message,
                         "keeping evidence: cannot write a temporary file in %s: %s",
                         an_evidence_spill_dir(), strerror(e));
            }
        }
        if (s == AN_OK && cfg->print_mentions &&
            print_mentions(w->e, &b->out, b->text.data + r->id_off, text, &w->m))
            s = AN_ENOMEM;
        if (s != AN_OK) {
            b->status = s;
            b->err_doc = i;
            break;
        }
    }
}

/* With e->mu held: takes the oldest pending batch, if there is one, and processes
 * it with w's accumulators (the mutex released meanwhile). Returns 1 if it did. */
static int take_batch(engine *e, worker *w) {
    batch *b = &e->slots[e->next_take % e->n_slots];
    if (b->state != SLOT_PENDING || b->seq != e->next_take) return 0;
    e->next_take++;
    b->state = SLOT_BUSY;
    pthread_mutex_unlock(&e->mu);
    batch_process(w, b);
    pthread_mutex_lock(&e->mu);
    b->state = SLOT_DONE;
    pthread_cond_broadcast(&e->cv);
    return 1;
}

static void *worker_main(void *arg) {
    worker *w = arg;
    engine *e = w->e;
    pthread_mutex_lock(&e->mu);
    for (;;) {
        if (take_batch(e, w)) continue;
        if (e->closing) break;
        pthread_cond_wait(&e->cv, &e->mu);
    }
    pthread_mutex_unlock(&e->mu);
    return NULL;
}

static void batch_reset(batch *b, size_t seq) {
    b->seq = seq;
    b->n_docs = 0;
    b->text.len = 0;
    b->out.len = 0; /* the buffer is reused */
    b->status = AN_OK;
    an_error_clear(&b->err);
    b->err_doc = 0;
}

/* Prints a finished batch; returns 0 or an exit code. */
static int batch_flush(const engine_config *cfg, batch *b) {
    if (b->status != AN_OK) {
        const char *id = b->n_docs ? b->text.data + b->docs[b->err_doc].id_off : "input";
        if (b->err.status != AN_OK)
            msg_error(id, &b->err);
        else
            msg("%s: %s", id, an_strerror(b->status));
        return 1;
    }
    if (cfg->print_mentions && b->out.len) {
        errno = 0;
        if (fwrite(b->out.data, 1, b->out.len, stdout) != b->out.len || ferror(stdout)) {
            if (errno == EPIPE) return -1; /* the reader went away (| head): stop quietly */
            msg("standard output: write error: %s", strerror(errno ? errno : EIO));
            return 1;
        }
    }
    return 0;
}

an_status evidence_parts_merge(evidence_parts *p, an_evidence **out) {
    an_status st = AN_OK;
    *out = NULL;
    if (p->n) {
        /* Into the largest part: a merge costs what it copies, and the parts are not
         * the same size (the main thread scans fewer batches than a worker). Which
         * store receives the others does not change the result. */
        size_t big = 0, most = 0;
        for (size_t i = 0; i < p->n; i++) {
            size_t n = an_evidence_pair_count(p->part[i]) + an_evidence_actor_count(p->part[i]);
            if (n > most) {
                most = n;
                big = i;
            }
        }
        an_evidence *t = p->part[0];
        p->part[0] = p->part[big];
        p->part[big] = t;
        *out = p->part[0];
        for (size_t i = 1; i < p->n; i++) {
            if (st == AN_OK) st = an_evidence_merge(*out, p->part[i]);
            an_evidence_destroy(p->part[i]); /* dropped as soon as merged */
        }
    }
    free(p->part);
    p->part = NULL;
    p->n = 0;
    if (st != AN_OK) {
        an_evidence_destroy(*out);
        *out = NULL;
    }
    return st;
}

void evidence_parts_free(evidence_parts *p) {
    for (size_t i = 0; i < p->n; i++) an_evidence_destroy(p->part[i]);
    free(p->part);
    p->part = NULL;
    p->n = 0;
}

int engine_run(const engine_config *cfg, an_counts_set **counts_out, evidence_parts *evidence_out) {
    engine e;
    memset(&e, 0, sizeof e);
    e.cfg = cfg;
    unsigned nt = cfg->threads ? cfg->threads : 1;
    int threaded = nt > 1;
    e.n_slots = threaded ? 2 * (size_t)nt + 1 : 1;
    e.slots = calloc(e.n_slots, sizeof *e.slots);
    e.workers = calloc(nt, sizeof *e.workers);
    int rc = 0;
    if (!e.slots || !e.workers) {
        msg("out of memory");
        free(e.slots);
        free(e.workers);
        return 1;
    }
    pthread_mutex_init(&e.mu, NULL);
    pthread_cond_init(&e.cv, NULL);
    if (cfg->print_mentions && build_actor_json(&e)) {
        msg("out of memory");
        rc = 1;
    }
    for (unsigned i = 0; i < nt; i++) {
        worker *w = &e.workers[i];
        w->e = &e;
        an_mentions_init(&w->m);
        if (cfg->count &&
            an_counts_set_create(an_gazetteer_actor_count(cfg->gz),
                                 an_gazetteer_alias_count(cfg->gz), &cfg->count_opts,
                                 &w->counts) != AN_OK) {
            msg("out of memory");
            rc = 1;
        }
        if (cfg->evidence_k && (an_evidence_create(cfg->evidence_k, &w->evidence) != AN_OK ||
                                an_evidence_keep_actors(w->evidence, !cfg->evidence_pairs_only) !=
                                    AN_OK)) {
            msg("out of memory");
            rc = 1;
        }
    }
    /* The main thread reads, and scans with workers[0] whenever every slot is
     * taken: N threads in all for -j N, none of them idle while there is work. */
    for (unsigned i = 1; threaded && rc == 0 && i < nt; i++) {
        if (pthread_create(&e.workers[i].thread, NULL, worker_main, &e.workers[i]) != 0) {
            msg("cannot start a thread: %s", strerror(errno));
            rc = 1;
            break;
        }
        e.workers[i].started = 1;
    }

    progress pr;
    progress_init(&pr);
    uint64_t docs = 0;
    size_t next_fill = 0, next_flush = 0;
    int input_done = 0, stdout_closed = 0, read_error = 0;
    an_error err;
    an_error_clear(&err);
    while (rc == 0 && !input_done) {
        /* Fill the slot of batch next_fill once it has been flushed. */
        batch *b = &e.slots[next_fill % e.n_slots];
        pthread_mutex_lock(&e.mu);
        while (b->state != SLOT_FREE) {
            /* Flush whatever is done, in order, while we wait. */
            batch *f = &e.slots[next_flush % e.n_slots];
            if (f->state == SLOT_DONE) {
                pthread_mutex_unlock(&e.mu);
                int r = stdout_closed ? 0 : batch_flush(cfg, f);
                if (r < 0) stdout_closed = 1;
                else if (r > 0) rc = r;
                pthread_mutex_lock(&e.mu);
                f->state = SLOT_FREE;
                next_flush++;
                continue;
            }
            if (take_batch(&e, &e.workers[0])) continue;
            pthread_cond_wait(&e.cv, &e.mu);
        }
        pthread_mutex_unlock(&e.mu);
        if (rc) break;
        batch_reset(b, next_fill);
        while (b->n_docs < BATCH_DOCS && b->text.len < BATCH_BYTES) {
            an_document d;
            int done = 0;
            /* The text goes straight into the batch (cli.h: strbuf is an_buffer). */
            size_t text_off = b->text.len;
            if (an_reader_next_into(cfg->reader, &d, &done, &b->text, &err) != AN_OK) {
                /* Reported after the documents read so far are finished and printed. */
                read_error = 1;
                input_done = 1;
                break;
            }
            if (done) {
                input_done = 1;
                break;
            }
            if (batch_add(b, &d, text_off, docs)) {
                msg("out of memory");
                rc = 1;
                break;
            }
            docs++;
        }
        if (rc) break;
        if (b->n_docs == 0) break;
        progress_tick(&pr, docs, an_reader_bytes_read(cfg->reader), cfg->total_bytes);
        if (threaded) {
            pthread_mutex_lock(&e.mu);
            b->state = SLOT_PENDING;
            pthread_cond_broadcast(&e.cv);
            pthread_mutex_unlock(&e.mu);
        } else {
            batch_process(&e.workers[0], b);
            b->state = SLOT_DONE;
        }
        next_fill++;
        if (stdout_closed) break; /* nobody reads what we would print */
    }
    /* Drain: every batch handed out is finished and flushed in order. */
    pthread_mutex_lock(&e.mu);
    while (next_flush < next_fill) {
        batch *f = &e.slots[next_flush % e.n_slots];
        if (f->state != SLOT_DONE) {
            if (!take_batch(&e, &e.workers[0])) pthread_cond_wait(&e.cv, &e.mu);
            continue;
        }
        pthread_mutex_unlock(&e.mu);
        int r = (stdout_closed || rc) ? 0 : batch_flush(cfg, f);
        if (r < 0) stdout_closed = 1;
        else if (r > 0) rc = r;
        pthread_mutex_lock(&e.mu);
        f->state = SLOT_FREE;
        next_flush++;
    }
    e.closing = 1;
    pthread_cond_broadcast(&e.cv);
    pthread_mutex_unlock(&e.mu);
    for (unsigned i = 0; i < nt; i++)
        if (e.workers[i].started) pthread_join(e.workers[i].thread, NULL);
    if (read_error && rc == 0) {
        msg_error(NULL, &err);
        rc = 1;
    }
    progress_done(&pr, docs, an_reader_bytes_read(cfg->reader), cfg->total_bytes);

    /* The batches and the mention buffers are done with; each worker's accumulators are
     * dropped as soon as they are merged, so the merge holds at most the total and one
     * worker's part (peak memory at -j N). */
    for (unsigned i = 0; i < nt; i++) an_mentions_finish(&e.workers[i].m);
    for (size_t i = 0; i < e.n_slots; i++) {
        free(e.slots[i].docs);
        free(e.slots[i].text.data);
        free(e.slots[i].out.data);
    }
    an_counts_set *total = NULL;
    if (rc == 0 && cfg->count) {
        total = e.workers[0].counts;
        e.workers[0].counts = NULL;
        for (unsigned i = 1; i < nt && rc == 0; i++) {
            an_error merr;
            an_error_clear(&merr);
            if (an_counts_set_merge(total, e.workers[i].counts, &merr) != AN_OK) {
                msg_error("merging counts", &merr);
                rc = 1;
            }
            an_counts_set_destroy(e.workers[i].counts);
            e.workers[i].counts = NULL;
        }
    }
    evidence_parts ev = {NULL, 0};
    if (rc == 0 && cfg->evidence_k && evidence_out) {
        ev.part = calloc(nt, sizeof(an_evidence *));
        if (!ev.part) {
            msg("out of memory");
            rc = 1;
        }
        for (unsigned i = 0; rc == 0 && i < nt; i++) {
            ev.part[ev.n++] = e.workers[i].evidence;
            e.workers[i].evidence = NULL;
        }
    }
    for (unsigned i = 0; i < nt; i++) {
        an_counts_set_destroy(e.workers[i].counts);
        an_evidence_destroy(e.workers[i].evidence);
    }
    free(e.slots);
    free(e.workers);
    free(e.actor_json.data);
    free(e.actor_json_off);
    pthread_cond_destroy(&e.cv);
    pthread_mutex_destroy(&e.mu);
    if (rc) {
        an_counts_set_destroy(total);
        evidence_parts_free(&ev);
        return rc;
    }
    if (counts_out) *counts_out = total;
    else an_counts_set_destroy(total);
    if (evidence_out) *evidence_out = ev;
    return 0;
}

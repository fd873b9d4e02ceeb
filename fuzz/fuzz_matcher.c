/* libFuzzer target: an_matcher_scan() over arbitrary bytes with a small fixed
 * gazetteer compiled once. The first byte picks the document date (dated
 * aliases) and whether the matcher is accent-insensitive.
 * Invariants (docs/matching.md): mentions sorted by start, inside the text,
 * non-overlapping, each naming a valid alias of its actor that is live on the
 * date; sentence spans in order, inside the text, and every mention's
 * sentence/paragraph index below the totals; a second scan into the same
 * buffer gives the same result. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "actornet/actornet.h"
#include "fuzz_fixture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const an_mentions *m, const char *text, size_t len, int32_t date) {
    size_t na = an_gazetteer_actor_count(g_gz), nl = an_gazetteer_alias_count(g_gz);
    if (m->doc_bytes != len) abort();
    if (m->count && !m->items) abort();
    for (size_t i = 0; i < m->count; i++) {
        const an_mention *x = &m->items[i];
        if (x->start >= x->end || x->end > len) abort();
        if (i && x->start < m->items[i - 1].end) abort(); /* sorted, no overlap */
        if (x->actor >= na || x->alias >= nl) abort();
        an_alias_info a;
        if (an_gazetteer_alias(g_gz, x->alias, &a) != AN_OK || a.actor != x->actor) abort();
        if (a.date_from || a.date_to) {
            if (!date) abort(); /* undated documents use only undated aliases */
            if (a.date_from && date < a.date_from) abort();
            if (a.date_to && date > a.date_to) abort();
        }
        if (x->sentence >= m->n_sentences || x->paragraph >= m->n_paragraphs) abort();
        if (x->token >= m->n_tokens) abort();
        if (i && (x->token <= m->items[i - 1].token || x->sentence < m->items[i - 1].sentence ||
                  x->paragraph < m->items[i - 1].paragraph))
            abort();
        const an_span *s = &m->sentences[x->sentence];
        if (x->start < s->start || x->end > s->end) abort(); /* no mention spans sentences */
        (void)text;
    }
    for (size_t i = 0; i < m->n_sentences; i++) {
        const an_span *s = &m->sentences[i];
        if (s->start > s->end || s->end > len) abort();
        if (i && s->start < m->sentences[i - 1].end) abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!g_gz) setup();
    int32_t date = 0;
    int accent = 0;
    if (size) {
        static const int32_t dates[] = {0, 19990101, 20000101, 20040308, 20040309, 20160928};
        date = dates[(data[0] & 0x7f) % 6];
        accent = data[0] >> 7;
        data++;
        size--;
    }
    const char *text = (const char *)data;
    an_mentions m;
    an_mentions_init(&m);
    if (an_matcher_scan(g_m[accent], text, size, date, &m, NULL) != AN_OK) abort();
    check(&m, text, size, date);
    size_t count = m.count, ns = m.n_sentences;
    an_mention first = count ? m.items[0] : (an_mention){0};
    if (an_matcher_scan(g_m[accent], text, size, date, &m, NULL) != AN_OK) abort();
    if (m.count != count || m.n_sentences != ns) abort();
    if (count && memcmp(&first, &m.items[0], sizeof first) != 0) abort();
    an_mentions_finish(&m);
    return 0;
}

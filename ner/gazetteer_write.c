/* actornet — write any loaded gazetteer in the native TSV format.
 *
 * Every alias gets an explicit =/~ marker so that its policy does not depend
 * on the automatic rule when read back, and aliases are grouped per actor
 * (the native format has one line per actor), keeping their order within
 * each actor.
 */
#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

#include "core/internal.h"
#include "ner/gazetteer_internal.h"

typedef struct wctx {
    FILE *out;
    unsigned long replaced; /* characters the format cannot hold */
    unsigned long dropped;  /* aliases without letter or digit */
    unsigned long empty;    /* actors without aliases */
} wctx;

/* Text field: tab, CR, LF (and '|' in aliases) become a space. */
static void put_text(wctx *c, const char *s, int in_alias) {
    for (; *s; s++) {
        char ch = *s;
        if (ch == '\t' || ch == '\r' || ch == '\n' || (in_alias && ch == '|')) {
            ch = ' ';
            c->replaced++;
        }
        fputc(ch, c->out);
    }
}

/* Id field: any whitespace (ASCII or Unicode Z*) and ',' become '_', and so
 * does a leading '#', which would turn the line into a comment. */
static void put_id(wctx *c, const char *s) {
    size_t n = strlen(s), i = 0;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k =
            utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0) k = 1, cp = (unsigned char)s[i];
        utf8proc_category_t cat = k > 1 ? utf8proc_category(cp) : UTF8PROC_CATEGORY_CN;
        int bad = cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == '\v' ||
                  cp == '\f' || cp == ',' || (i == 0 && cp == '#') ||
                  cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
                  cat == UTF8PROC_CATEGORY_ZP;
        if (bad) {
            fputc('_', c->out);
            c->replaced++;
        } else {
            fwrite(s + i, 1, (size_t)k, c->out);
        }
        i += (size_t)k;
    }
}

static void put_date(FILE *out, int32_t d) {
    if (d) fprintf(out, "%04d-%02d-%02d", (int)(d / 10000), (int)(d / 100 % 100), (int)(d % 100));
}

AN_EXPORT an_status an_gazetteer_write_native(const an_gazetteer *gz, FILE *out, an_error *err) {
    if (!gz || !out)
        return an_i_error(err, AN_EINVAL, NULL, 0, 0, "an_gazetteer_write_native: NULL argument");
    size_t na = an_gazetteer_actor_count(gz), nl = an_gazetteer_alias_count(gz);
    /* Aliases per actor by counting sort: stable, so per-actor order is kept. */
    size_t *start = an_i_calloc(na + 1, sizeof *start);
    size_t *order = an_i_calloc(nl ? nl : 1, sizeof *order);
    if (!start || !order) {
        an_i_free(start);
        an_i_free(order);
        return an_i_error(err, AN_ENOMEM, NULL, 0, 0, "out of memory");
    }
    an_alias_info al;
    for (size_t i = 0; i < nl; i++) {
        an_gazetteer_alias(gz, i, &al);
        start[al.actor + 1]++;
    }
    for (size_t a = 0; a < na; a++) start[a + 1] += start[a];
    for (size_t i = 0; i < nl; i++) {
        an_gazetteer_alias(gz, i, &al);
        order[start[al.actor]++] = i;
    }
    for (size_t a = na; a > 0; a--) start[a] = start[a - 1];
    start[0] = 0;

    wctx c = {out, 0, 0, 0};
    fputs("# id\tlabel\ttype\tparents\taliases\n", out);
    for (size_t a = 0; a < na; a++) {
        an_actor_info ai;
        an_gazetteer_actor(gz, a, &ai);
        put_id(&c, ai.id);
        fputc('\t', out);
        put_text(&c, ai.label && *ai.label ? ai.label : ai.id, 0);
        fputc('\t', out);
        put_text(&c, ai.type && *ai.type ? ai.type : "other", 0);
        fputc('\t', out);
        for (size_t p = 0; p < ai.n_parents; p++) {
            if (p) fputc(',', out);
            put_id(&c, ai.parents[p]);
        }
        fputc('\t', out);
        size_t written = 0;
        for (size_t k = start[a]; k < start[a + 1]; k++) {
            an_gazetteer_alias(gz, order[k], &al);
            if (!an_i_gaz_has_letter_or_digit(al.text, strlen(al.text))) {
                c.dropped++;
                continue;
            }
            if (written++) fputc('|', out);
            fputc(al.policy == AN_CASE_EXACT ? '=' : '~', out);
            put_text(&c, al.text, 1);
            size_t tl = strlen(al.text);
            if (al.date_from || al.date_to) {
                fputc('{', out);
                put_date(out, al.date_from);
                fputs("..", out);
                put_date(out, al.date_to);
                fputc('}', out);
            } else if (tl && al.text[tl - 1] == '}') {
                /* an empty range, so that the alias's own "{...}" is not read as one */
                fputs("{..}", out);
            }
        }
        if (!written) {
            fputc('-', out);
            c.empty++;
        }
        fputc('\n', out);
    }
    an_i_free(start);
    an_i_free(order);
    if (fflush(out) != 0 || ferror(out))
        return an_i_error(err, AN_EIO, NULL, 0, 0, "cannot write the gazetteer");
    if (err) {
        an_error_clear(err);
        if (c.replaced || c.dropped)
            an_i_error(err, AN_OK, NULL, 0, 0,
                       "%lu character(s) the native format cannot hold replaced, "
                       "%lu alias(es) without letter or digit left out",
                       c.replaced, c.dropped);
    }
    return AN_OK;
}

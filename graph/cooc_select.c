/* actornet — actor maps (roll-up, merges, selection) and period keys
 * (contract: include/actornet/cooc.h).
 *
 * The map is applied to mentions by an_counts_add, before windows are
 * formed, rather than to finished pair counts: summing the pairs of two
 * children would count a window naming both children twice for the parent,
 * and a window naming a child and its parent would become a self-loop.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actornet/cooc.h"
#include "core/internal.h"

static int in_list(const char *s, const char *const *list, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (list[i] && strcmp(s, list[i]) == 0) return 1;
    return 0;
}

static int type_exists(const an_gazetteer *gz, const char *type) {
    size_t n = an_gazetteer_actor_count(gz);
    for (size_t a = 0; a < n; a++) {
        an_actor_info info;
        if (an_gazetteer_actor(gz, a, &info) == AN_OK && strcmp(info.type, type) == 0) return 1;
    }
    return 0;
}

static an_status check_types(const an_gazetteer *gz, const char *const *list, size_t n,
                             const char *what, an_error *err) {
    for (size_t i = 0; i < n; i++) {
        if (!list[i]) return an_i_error(err, AN_EINVAL, NULL, 0, 0, "%s: NULL type", what);
        if (!type_exists(gz, list[i]))
            return an_i_error(err, AN_ENOTFOUND, NULL, 0, 0,
                              "%s: no actor has the type '%s'", what, list[i]);
    }
    return AN_OK;
}

/* Splits "A=B" and resolves both ids. */
static an_status parse_merge(const an_gazetteer *gz, const char *spec, size_t *from, size_t *to,
                             an_error *err) {
    const char *eq = spec ? strchr(spec, '=') : NULL;
    if (!eq || eq == spec || !eq[1])
        return an_i_error(err, AN_EINVAL, NULL, 0, 0, "merge '%s': expected FROM_ID=TO_ID",
                          spec ? spec : "(null)");
    char *lhs = an_i_strndup(spec, (size_t)(eq - spec));
    if (!lhs) return an_i_error(err, AN_ENOMEM, NULL, 0, 0, "out of memory");
    an_status st = AN_OK;
    if (an_gazetteer_find(gz, lhs, from) != AN_OK)
        st = an_i_error(err, AN_ENOTFOUND, NULL, 0, 0, "merge '%s': unknown actor id '%s'", spec,
                        lhs);
    else if (an_gazetteer_find(gz, eq + 1, to) != AN_OK)
        st = an_i_error(err, AN_ENOTFOUND, NULL, 0, 0, "merge '%s': unknown actor id '%s'", spec,
                        eq + 1);
    an_i_free(lhs);
    return st;
}

/* First parent that resolves to an actor, or AN_DROP. Parents naming no
 * actor (reported by an_gazetteer_check) end the chain. */
static size_t first_parent(const an_gazetteer *gz, size_t a) {
    an_actor_info info;
    if (an_gazetteer_actor(gz, a, &info) != AN_OK) return AN_DROP;
    for (size_t i = 0; i < info.n_parents; i++) {
        size_t p;
        if (an_gazetteer_find(gz, info.parents[i], &p) == AN_OK && p != a) return p;
    }
    return AN_DROP;
}

AN_EXPORT an_status an_actor_map_build(const an_gazetteer *gz, const an_rollup_options *o,
                                       size_t **map, an_error *err) {
    if (!gz || !map) return an_i_error(err, AN_EINVAL, NULL, 0, 0, "an_actor_map_build: NULL argument");
    an_rollup_options none;
    memset(&none, 0, sizeof none);
    if (!o) o = &none;
    size_t n = an_gazetteer_actor_count(gz);
    an_status st = AN_OK;
    size_t *merge_to = NULL, *m = an_i_calloc(n ? n : 1, sizeof *m);
    merge_to = an_i_calloc(n ? n : 1, sizeof *merge_to);
    if (!m || !merge_to) {
        st = an_i_error(err, AN_ENOMEM, NULL, 0, 0, "actor map: out of memory");
        goto fail;
    }
    if ((o->n_merge && !o->merge) || (o->n_keep_types && !o->keep_types) ||
        (o->n_drop_types && !o->drop_types) || (o->n_drop_ids && !o->drop_ids)) {
        st = an_i_error(err, AN_EINVAL, NULL, 0, 0, "actor map: NULL list with a length");
        goto fail;
    }
    if ((st = check_types(gz, o->keep_types, o->n_keep_types, "keep type", err)) != AN_OK ||
        (st = check_types(gz, o->drop_types, o->n_drop_types, "drop type", err)) != AN_OK)
        goto fail;
    for (size_t i = 0; i < o->n_drop_ids; i++) {
        size_t x;
        if (!o->drop_ids[i] || an_gazetteer_find(gz, o->drop_ids[i], &x) != AN_OK) {
            st = an_i_error(err, AN_ENOTFOUND, NULL, 0, 0, "drop: unknown actor id '%s'",
                            o->drop_ids[i] ? o->drop_ids[i] : "(null)");
            goto fail;
        }
    }

    for (size_t a = 0; a < n; a++) merge_to[a] = a;
    for (size_t i = 0; i < o->n_merge; i++) {
        size_t from, to;
        if ((st = parse_merge(gz, o->merge[i], &from, &to, err)) != AN_OK) goto fail;
        merge_to[from] = to; /* a later merge of the same id wins */
    }

    for (size_t a = 0; a < n; a++) {
        /* follow merges; more than n steps means a cycle */
        size_t t = a, steps = 0;
        while (merge_to[t] != t) {
            t = merge_to[t];
            if (++steps > n) {
                an_actor_info info;
                (void)an_gazetteer_actor(gz, a, &info);
                st = an_i_error(err, AN_EINVAL, NULL, 0, 0, "merge: cycle through actor '%s'",
                                info.id);
                goto fail;
            }
        }
        /* roll up; a parent cycle simply stops after n steps */
        size_t limit = o->level < 0 ? n : (size_t)o->level;
        for (size_t k = 0; k < limit; k++) {
            size_t p = first_parent(gz, t);
            if (p == AN_DROP) break;
            t = p;
        }
        an_actor_info src, dst;
        (void)an_gazetteer_actor(gz, a, &src);
        (void)an_gazetteer_actor(gz, t, &dst);
        int drop = in_list(src.id, o->drop_ids, o->n_drop_ids) ||
                   in_list(dst.id, o->drop_ids, o->n_drop_ids) ||
                   in_list(dst.type, o->drop_types, o->n_drop_types) ||
                   (o->n_keep_types && !in_list(dst.type, o->keep_types, o->n_keep_types));
        m[a] = drop ? AN_DROP : t;
    }
    an_i_free(merge_to);
    *map = m;
    return AN_OK;
fail:
    an_i_free(merge_to);
    an_i_free(m);
    return st;
}

AN_EXPORT void an_actor_map_free(size_t *map) { an_i_free(map); }

/* ---- periods ------------------------------------------------------------ */

static const char *const period_names[] = {"day", "week", "month", "quarter", "year"};

AN_EXPORT const char *an_period_name(an_period p) {
    if ((unsigned)p >= sizeof period_names / sizeof period_names[0]) return NULL;
    return period_names[p];
}

AN_EXPORT an_status an_period_parse(const char *name, an_period *out) {
    if (!name || !out) return AN_EINVAL;
    for (size_t i = 0; i < sizeof period_names / sizeof period_names[0]; i++) {
        if (strcmp(name, period_names[i]) == 0) {
            *out = (an_period)i;
            return AN_OK;
        }
    }
    return AN_EINVAL;
}

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int y, int m) {
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : d[m - 1];
}

/* Day of the week, 1 = Monday .. 7 = Sunday (Sakamoto's method). */
static int iso_weekday(int y, int m, int d) {
    static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    if (m < 3) y -= 1;
    int w = (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7; /* 0 = Sunday */
    return w == 0 ? 7 : w;
}

static int day_of_year(int y, int m, int d) {
    int n = d;
    for (int k = 1; k < m; k++) n += days_in_month(y, k);
    return n;
}

/* Weeks in ISO year y: 53 if it starts on a Thursday, or on a Wednesday in a leap year. */
static int iso_weeks(int y) {
    int jan1 = iso_weekday(y, 1, 1);
    return (jan1 == 4 || (jan1 == 3 && is_leap(y))) ? 53 : 52;
}

AN_EXPORT an_status an_period_key(int32_t date, an_period p, char out[16]) {
    if (!out) return AN_EINVAL;
    out[0] = '\0';
    if (!an_period_name(p)) return AN_EINVAL;
    if (date == 0) {
        snprintf(out, 16, "undated");
        return AN_OK;
    }
    int y = date / 10000, m = date / 100 % 100, d = date % 100;
    if (date < 0 || y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return AN_EINVAL;
    switch (p) {
    case AN_PERIOD_DAY:
        snprintf(out, 16, "%04d-%02d-%02d", y, m, d);
        break;
    case AN_PERIOD_WEEK: {
        /* ISO 8601: week 1 holds the year's first Thursday */
        int wy = y;
        int week = (day_of_year(y, m, d) - iso_weekday(y, m, d) + 10) / 7;
        if (week < 1) {
            wy = y - 1;
            week = iso_weeks(wy);
        } else if (week > iso_weeks(y)) {
            wy = y + 1;
            week = 1;
        }
        snprintf(out, 16, "%04d-W%02d", wy, week);
        break;
    }
    case AN_PERIOD_MONTH:
        snprintf(out, 16, "%04d-%02d", y, m);
        break;
    case AN_PERIOD_QUARTER:
        snprintf(out, 16, "%04d-Q%d", y, (m - 1) / 3 + 1);
        break;
    case AN_PERIOD_YEAR:
        snprintf(out, 16, "%04d", y);
        break;
    }
    return AN_OK;
}

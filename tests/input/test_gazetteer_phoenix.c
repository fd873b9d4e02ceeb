/* Phoenix/CAMEO actor dictionaries: records, synonyms, codes, dates,
 * actors per code, labels, types, parents, and every defect kind. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actornet/gazetteer.h"
#include "test_alloc.h"
#include "test_util.h"

#define CHECK(name) fprintf(stderr, "# %s\n", name)

typedef struct warns {
    int n;
    char text[16][600];
} warns;

static void on_warn(void *ctx, const an_error *w) {
    warns *ws = ctx;
    if (ws->n < 16) an_error_format(w, ws->text[ws->n], sizeof ws->text[0]);
    ws->n++;
}

static an_gazetteer *load(const char *text, size_t len, warns *ws) {
    an_gazetteer *gz = an_gazetteer_create();
    memset(ws, 0, sizeof *ws);
    an_gazetteer_load_options o;
    memset(&o, 0, sizeof o);
    o.format = AN_GAZ_PHOENIX;
    o.warn = on_warn;
    o.warn_ctx = ws;
    an_error err;
    an_status st = an_gazetteer_load_buffer_ex(gz, text, len, "a.txt", &o, &err);
    if (st) {
        char buf[1200];
        T_FAIL("load: %s", an_error_format(&err, buf, sizeof buf));
    }
    return gz;
}

static int has_warning(const warns *ws, const char *text) {
    for (int i = 0; i < ws->n && i < 16; i++)
        if (strcmp(ws->text[i], text) == 0) return 1;
    fprintf(stderr, "missing warning \"%s\"; got:\n", text);
    for (int i = 0; i < ws->n && i < 16; i++) fprintf(stderr, "  %s\n", ws->text[i]);
    return 0;
}

/* Alias `text` of actor `id` with the given dates exists, with its policy. */
static int alias_policy(const an_gazetteer *gz, const char *text, const char *id, int32_t from,
                        int32_t to) {
    for (size_t i = 0; i < an_gazetteer_alias_count(gz); i++) {
        an_alias_info al;
        an_actor_info a;
        an_gazetteer_alias(gz, i, &al);
        an_gazetteer_actor(gz, al.actor, &a);
        if (!strcmp(al.text, text) && !strcmp(a.id, id) && al.date_from == from &&
            al.date_to == to)
            return (int)al.policy;
    }
    return -1;
}

static void expect_actor(const an_gazetteer *gz, const char *id, const char *label,
                         const char *type, const char *parent) {
    size_t i;
    an_actor_info a;
    if (an_gazetteer_find(gz, id, &i) || an_gazetteer_actor(gz, i, &a)) {
        T_FAIL("actor %s missing", id);
        return;
    }
    T_EQ_STR(a.label, label);
    T_EQ_STR(a.type, type);
    if (parent) {
        T_EQ_INT(a.n_parents, 1);
        if (a.n_parents == 1) T_EQ_STR(a.parents[0], parent);
    } else {
        T_EQ_INT(a.n_parents, 0);
    }
}

static const char sample[] =
    "# comment line\n"                                           /* 1 */
    "AFGHANISTAN_  [AFG]\n"                                      /* 2 */
    "+AFGHAN_ \n"                                                /* 3 */
    "+KABUL_  # capital\n"                                       /* 4 */
    "AFGHAN_NATIONAL_ARMY\n"                                     /* 5 */
    "+ANA\n"                                                     /* 6 */
    "\t[AFGMIL]\n"                                               /* 7 */
    "MOHAMMAD_ZAHIR_SHAH_  # CountryInfo.txt\n"                  /* 8 */
    "\t[AFGELI 320101-331108]\n"                                 /* 9 */
    "\t[AFGGOV 19331108-730717]\n"                               /* 10 */
    "RUSSIA_ [RUS]\n"                                            /* 11 */
    "SERGEY_LAVROV_\n"                                           /* 12 */
    "+LAVROV\n"                                                  /* 13 */
    "\t[RUSGOV >20040309]  # Foreign Minister\n"                 /* 14 */
    "\t[RUSELI <040308]\n"                                       /* 15 */
    "NATO_\n"                                                    /* 16 */
    "+NORTH_ATLANTIC_TREATY_ORGANIZATION_\t\n"                   /* 17 */
    "\t[IGOWSTNAT]# NGO_Actors\n"                                /* 18 */
    "JAVIER_SOLANA_\t[IGOEUREEC 950701-951231][IGOWSTNAT 951205-991006] # x\n" /* 19 */
    "HAMAS_\n"                                                   /* 20 */
    "+US\n"                                                      /* 21 */
    "\t[PSEREBHMS]\n";                                           /* 22 */

static void check_mapping(void) {
    CHECK("codes are actors; phrases are aliases; dated codes give dated aliases");
    warns ws;
    an_gazetteer *gz = load(sample, sizeof sample - 1, &ws);
    T_EQ_INT(ws.n, 0);
    /* AFG, AFGMIL, AFGELI, AFGGOV, RUS, RUSGOV, RUSELI, IGOWSTNAT, IGOEUREEC, PSE, PSEREBHMS */
    T_EQ_INT(an_gazetteer_actor_count(gz), 11);
    expect_actor(gz, "AFG", "Afghanistan", "country", NULL);
    expect_actor(gz, "AFGMIL", "Afghanistan military", "military", "AFG");
    expect_actor(gz, "AFGGOV", "Afghanistan government", "government", "AFG");
    expect_actor(gz, "IGOWSTNAT", "NATO", "organisation", NULL);
    expect_actor(gz, "IGOEUREEC", "Javier Solana", "organisation", NULL);
    expect_actor(gz, "PSE", "PSE", "country", NULL); /* created on demand */
    expect_actor(gz, "PSEREBHMS", "Hamas", "armed_group", "PSE");
    T_EQ_INT(alias_policy(gz, "AFGHANISTAN", "AFG", 0, 0), AN_CASE_FOLD);
    T_EQ_INT(alias_policy(gz, "KABUL", "AFG", 0, 0), AN_CASE_FOLD);
    T_EQ_INT(alias_policy(gz, "ANA", "AFGMIL", 0, 0), AN_CASE_EXACT); /* <= 3 letters */
    T_EQ_INT(alias_policy(gz, "US", "PSEREBHMS", 0, 0), AN_CASE_EXACT);
    T_EQ_INT(alias_policy(gz, "MOHAMMAD ZAHIR SHAH", "AFGELI", 19320101, 19331108),
             AN_CASE_FOLD);
    T_EQ_INT(alias_policy(gz, "MOHAMMAD ZAHIR SHAH", "AFGGOV", 19331108, 19730717),
             AN_CASE_FOLD);
    T_EQ_INT(alias_policy(gz, "LAVROV", "RUSGOV", 20040309, 0), AN_CASE_FOLD);
    T_EQ_INT(alias_policy(gz, "LAVROV", "RUSELI", 0, 20040308), AN_CASE_FOLD);
    T_EQ_INT(alias_policy(gz, "NORTH ATLANTIC TREATY ORGANIZATION", "IGOWSTNAT", 0, 0),
             AN_CASE_FOLD);
    T_EQ_INT(alias_policy(gz, "JAVIER SOLANA", "IGOWSTNAT", 19951205, 19991006), AN_CASE_FOLD);
    T_EQ_INT(alias_policy(gz, "JAVIER SOLANA", "IGOEUREEC", 19950701, 19951231), AN_CASE_FOLD);
    /* dated aliases come before undated ones of the same record */
    an_alias_info al;
    T_OK(an_gazetteer_alias(gz, 0, &al));
    T_EQ_STR(al.text, "AFGHANISTAN");
    T_EQ_INT(al.line, 2);
    an_gazetteer_destroy(gz);
}

static void check_defects(void) {
    CHECK("defects: codeless records repaired, NUL, bad UTF-8, '+', duplicates, bad dates");
    static const char text[] =
        "IVO_JOSIPOVIC_\n"                   /* 1: no code */
        "PRESIDENT_JOSIPOVIC_\n"             /* 2: no code */
        "JOSIPOVIC_\n"                       /* 3 */
        "\t[HRVGOV >20120219]\n"             /* 4 */
        "B+H_OCEAN_CARRIERS_ [MNCBMU]\n"     /* 5: '+' inside */
        "JOSIPOVIC_ [HRVELI]\n"              /* 6: duplicate of line 3 */
        "BAD\x00NAME [HRV]\n"                /* 7: NUL */
        "Z\xFF\xFEROUAL [DZA]\n"             /* 8: 2 invalid bytes */
        "X_\x1aY [DZA]\n"                    /* 9: control */
        "OLD_ [USAGOV 9008223-911221]\n"     /* 10: bad date */
        "REV_ [USAGOV 911221-900101]\n"      /* 11: reversed */
        "BARE_ [MNEGOV 20121204]\n"          /* 12: bare date */
        "NULLCODE_ [---]\n"                  /* 13: null code, no actor */
        "+ORPHAN_NEVER\n"                    /* 14 synonym of NULLCODE */
        "weird [bad code]\n"                 /* 15: unreadable code */
        "\tINDENTED_ [USA]\n"                /* 16: indented primary */
        "LAST_ONE_\n"                        /* 17: no code at the end */
        "+LAST_SYN\n";
    warns ws;
    an_gazetteer *gz = load(text, sizeof text - 1, &ws);
    T_ASSERT(has_warning(&ws, "a.txt:1: 2 record(s) without a code took the codes of the next "
                              "record with codes (lines 1, 2)"));
    T_ASSERT(has_warning(&ws, "a.txt:17: 1 record(s) without a code dropped (no record with a "
                              "code follows) (line 17)"));
    T_ASSERT(has_warning(&ws, "a.txt:7: 1 NUL byte(s) replaced by U+FFFD (line 7)"));
    T_ASSERT(has_warning(&ws, "a.txt:8: 2 invalid UTF-8 byte(s) replaced by U+FFFD (line 8)"));
    T_ASSERT(has_warning(&ws, "a.txt:9: 1 control character(s) replaced by U+FFFD (line 9)"));
    T_ASSERT(has_warning(&ws, "a.txt:5: 1 phrase(s) with a '+' inside, loaded as written "
                              "(line 5)"));
    T_ASSERT(has_warning(&ws, "a.txt:6: 1 phrase(s) already in an earlier record, loaded again "
                              "(line 6)"));
    T_ASSERT(has_warning(&ws, "a.txt:10: 2 code(s) with an unreadable or reversed date "
                              "restriction skipped (lines 10, 11)"));
    T_ASSERT(has_warning(&ws, "a.txt:12: 1 code(s) with a bare date (no <, > or -) loaded "
                              "without a date, as PETRARCH does (line 12)"));
    T_ASSERT(has_warning(&ws, "a.txt:15: 1 unreadable code(s) skipped (line 15)"));
    T_ASSERT(has_warning(&ws, "a.txt:16: 1 indented phrase line(s) read as primary phrases "
                              "(line 16)"));
    T_EQ_INT(ws.n, 11);
    T_EQ_INT(alias_policy(gz, "IVO JOSIPOVIC", "HRVGOV", 20120219, 0), AN_CASE_FOLD);
    T_EQ_INT(alias_policy(gz, "PRESIDENT JOSIPOVIC", "HRVGOV", 20120219, 0), AN_CASE_FOLD);
    T_EQ_INT(alias_policy(gz, "JOSIPOVIC", "HRVELI", 0, 0), AN_CASE_FOLD);
    T_EQ_INT(alias_policy(gz, "B+H OCEAN CARRIERS", "MNCBMU", 0, 0), AN_CASE_FOLD);
    T_EQ_INT(alias_policy(gz, "BAD\xEF\xBF\xBDNAME", "HRV", 0, 0), AN_CASE_FOLD);
    T_EQ_INT(alias_policy(gz, "Z\xEF\xBF\xBD\xEF\xBF\xBDROUAL", "DZA", 0, 0), AN_CASE_FOLD);
    T_EQ_INT(alias_policy(gz, "BARE", "MNEGOV", 0, 0), AN_CASE_FOLD);
    T_EQ_INT(alias_policy(gz, "INDENTED", "USA", 0, 0), AN_CASE_FOLD);
    T_EQ_INT(alias_policy(gz, "OLD", "USAGOV", 0, 0), -1);
    T_EQ_INT(alias_policy(gz, "NULLCODE", "---", 0, 0), -1);
    size_t i;
    T_EQ_INT(an_gazetteer_find(gz, "USAGOV", &i), AN_ENOTFOUND);
    for (size_t k = 0; k < an_gazetteer_alias_count(gz); k++) {
        an_alias_info al;
        an_gazetteer_alias(gz, k, &al);
        T_ASSERT(strstr(al.text, "ORPHAN") == NULL && strstr(al.text, "LAST") == NULL);
    }
    an_gazetteer_destroy(gz);

    CHECK("strict mode: the first defect kind fails the load");
    an_gazetteer_load_options o;
    memset(&o, 0, sizeof o);
    o.format = AN_GAZ_PHOENIX;
    o.strict = 1;
    gz = an_gazetteer_create();
    an_error err;
    T_EQ_INT(an_gazetteer_load_buffer_ex(gz, text, sizeof text - 1, "a.txt", &o, &err),
             AN_EPARSE);
    T_EQ_INT(err.line, 1);
    T_EQ_INT(an_gazetteer_actor_count(gz), 0);
    T_OK(an_gazetteer_load_buffer_ex(gz, sample, sizeof sample - 1, "s.txt", &o, &err));
    an_gazetteer_destroy(gz);
}

static void check_across_loads(void) {
    CHECK("a code defined by an earlier load gets the new aliases; auto detection");
    an_gazetteer *gz = an_gazetteer_create();
    const char *tsv = "RUS\tRussia\tcountry\t\tRussia\n";
    T_OK(an_gazetteer_load_buffer(gz, tsv, strlen(tsv), "n.tsv", AN_GAZ_NATIVE, NULL));
    const char *phx = "# x\n+ORPHAN\nVLADIMIR_PUTIN_\n\t[RUSGOV 000507-080507]\n\t[RUS]\n";
    T_OK(an_gazetteer_load_buffer(gz, phx, strlen(phx), "b.txt", AN_GAZ_AUTO, NULL));
    T_EQ_INT(an_gazetteer_actor_count(gz), 2);
    T_EQ_INT(alias_policy(gz, "VLADIMIR PUTIN", "RUS", 0, 0), AN_CASE_FOLD);
    T_EQ_INT(alias_policy(gz, "VLADIMIR PUTIN", "RUSGOV", 20000507, 20080507), AN_CASE_FOLD);
    expect_actor(gz, "RUS", "Russia", "country", NULL);
    expect_actor(gz, "RUSGOV", "Russia government", "government", "RUS");
    an_gazetteer_destroy(gz);
}

static void check_category_labels(void) {
    CHECK("category codes (non-state prefix, a country, roles) are labelled by the category");
    static const char text[] =
        "UNITED_STATES_ [USA]\n"
        "EARL_SLACK_ [MNCUSA]\n"
        "+ACME_CORPORATION_\n"
        "ACME_HEALTH_ [MNCUSAHLH]\n"
        "UNOCAL_ [MNC]\n"
        "AIESEC_ [NGOEDU]\n"
        "HUMAN_RIGHTS_FIRST_ [NGOUSAHRI]\n"
        "UNOG_NGO_DATABASE_ [NGO]\n"
        "WORLD_BANK_ [IGOUNODEVWBK]\n"    /* UNO: neither a country nor a role */
        "AMNESTY_INTERNATIONAL_ [NGOHRIAMN]\n" /* a role, then an unknown part */
        "ACDF_ [NGOAFRDEV]\n"             /* a region, not a country */
        "BONSO_ELECTRONICS_ [MNCCHNHKG]\n" /* no actor CHN */
        "PIRATE_RADIO_ [NGOUSAUSA]\n"      /* a second country */
        "SUNNI_FIGHTERS_ [IMGMIL]\n";
    warns ws;
    an_gazetteer *gz = load(text, sizeof text - 1, &ws);
    expect_actor(gz, "USA", "United States", "country", NULL);
    expect_actor(gz, "MNCUSA", "United States multinationals", "company", NULL);
    expect_actor(gz, "MNCUSAHLH", "United States health multinationals", "company", NULL);
    expect_actor(gz, "MNC", "Multinationals", "company", NULL);
    expect_actor(gz, "NGOEDU", "Education NGOs", "organisation", NULL);
    expect_actor(gz, "NGOUSAHRI", "United States human rights NGOs", "organisation", NULL);
    expect_actor(gz, "NGO", "NGOs", "organisation", NULL);
    expect_actor(gz, "IGOUNODEVWBK", "World Bank", "organisation", NULL);
    expect_actor(gz, "NGOHRIAMN", "Amnesty International", "organisation", NULL);
    expect_actor(gz, "NGOAFRDEV", "ACDF", "organisation", NULL);
    expect_actor(gz, "MNCCHNHKG", "Bonso Electronics", "company", NULL);
    expect_actor(gz, "NGOUSAUSA", "Pirate Radio", "organisation", NULL);
    expect_actor(gz, "IMGMIL", "Military international armed groups", "armed_group", NULL);
    an_gazetteer_destroy(gz);

    CHECK("the country of a category code from an earlier load, and only a country");
    gz = an_gazetteer_create();
    const char *tsv = "GBR\tUnited Kingdom\tcountry\t\tBritain\n"
                      "XYZ\tXyz Group\torganisation\t\tXyz\n";
    T_OK(an_gazetteer_load_buffer(gz, tsv, strlen(tsv), "n.tsv", AN_GAZ_NATIVE, NULL));
    const char *phx = "BRITISH_GAS_ [MNCGBR]\nFOO_BAR_ [MNCXYZ]\n";
    T_OK(an_gazetteer_load_buffer(gz, phx, strlen(phx), "b.txt", AN_GAZ_PHOENIX, NULL));
    expect_actor(gz, "MNCGBR", "United Kingdom multinationals", "company", NULL);
    expect_actor(gz, "MNCXYZ", "Foo Bar", "company", NULL);
    an_gazetteer_destroy(gz);
}

static an_status load_more(an_gazetteer *gz, const char *text, int strict) {
    an_gazetteer_load_options o;
    memset(&o, 0, sizeof o);
    o.format = AN_GAZ_PHOENIX;
    o.strict = strict;
    return an_gazetteer_load_buffer_ex(gz, text, strlen(text), "more.txt", &o, NULL);
}

static void check_weak_labels(void) {
    CHECK("a later load's undated record replaces a label from the code or a dated record");
    an_gazetteer *gz = an_gazetteer_create();
    T_OK(load_more(gz,
                   "WOLFGANG_SCHUSSEL_ [IGOEUREEC 060101-060630]\n"
                   "NATO_ [IGOWSTNAT]\n"
                   "KARZAI_ [AFGGOV]\n" /* makes AFG, labelled AFG */
                   "JOHN_DOE_ [IGOUNOIAE 990101-991231]\n",
                   0));
    expect_actor(gz, "IGOEUREEC", "Wolfgang Schussel", "organisation", NULL);
    expect_actor(gz, "AFG", "AFG", "country", NULL);
    expect_actor(gz, "AFGGOV", "AFG government", "government", "AFG");
    /* a failed load changes no label */
    T_EQ_INT(load_more(gz, "EUROPEAN_UNION_ [IGOEUREEC]\nBAD_ [IGOX\n", 1), AN_EPARSE);
    expect_actor(gz, "IGOEUREEC", "Wolfgang Schussel", "organisation", NULL);
    T_OK(load_more(gz,
                   "JAVIER_SOLANA_ [IGOEUREEC 950701-951231]\n"
                   "EUROPEAN_UNION_ [IGOEUREEC]\n"
                   "+EU\n"
                   "EUROPEAN_COMMUNITY_ [IGOEUREEC]\n"
                   "AFGHANISTAN_ [AFG]\n"
                   "ANA_ [AFGMIL]\n"
                   "NORTH_ATLANTIC_ALLIANCE_ [IGOWSTNAT]\n"
                   "MOHAMED_ELBARADEI_ [IGOUNOIAE 970101-091130]\n",
                   0));
    /* the first undated record of the later load */
    expect_actor(gz, "IGOEUREEC", "European Union", "organisation", NULL);
    expect_actor(gz, "AFG", "Afghanistan", "country", NULL);
    /* composite labels are made once, with the country's label of then */
    expect_actor(gz, "AFGGOV", "AFG government", "government", "AFG");
    expect_actor(gz, "AFGMIL", "Afghanistan military", "military", "AFG");
    /* a label from an undated record stays; dated records do not replace */
    expect_actor(gz, "IGOWSTNAT", "NATO", "organisation", NULL);
    expect_actor(gz, "IGOUNOIAE", "John Doe", "organisation", NULL);
    /* replaced once: the next undated record does not replace it again */
    T_OK(load_more(gz, "EEC_ [IGOEUREEC]\n", 0));
    expect_actor(gz, "IGOEUREEC", "European Union", "organisation", NULL);
    an_gazetteer_destroy(gz);
}

static void check_oom(void) {
    CHECK("allocation failures in a later load: AN_ENOMEM, labels unchanged, no leaks");
    const char *first = "SCHUSSEL_ [IGOEUREEC 060101-060630]\nKARZAI_ [AFGGOV]\n";
    const char *second = "EUROPEAN_UNION_ [IGOEUREEC]\n+EU\nAFGHANISTAN_ [AFG]\n"
                         "HEALTH_CORP_ [MNCAFGHLH]\nNATO_ [IGOWSTNAT]\n";
    an_allocator alloc = {t_malloc, t_realloc, t_free, NULL};
    int succeeded = 0;
    for (long k = 0; k < 2000 && !succeeded; k++) {
        an_gazetteer *gz = an_gazetteer_create();
        T_OK(load_more(gz, first, 0));
        size_t na = an_gazetteer_actor_count(gz), nl = an_gazetteer_alias_count(gz);
        an_set_allocator(&alloc);
        fail_after = k; /* k allocations succeed, then every one fails */
        an_status st = load_more(gz, second, 0);
        fail_after = -1;
        an_set_allocator(NULL);
        if (st == AN_OK) {
            succeeded = 1;
            expect_actor(gz, "IGOEUREEC", "European Union", "organisation", NULL);
            expect_actor(gz, "AFG", "Afghanistan", "country", NULL);
            expect_actor(gz, "MNCAFGHLH", "Afghanistan health multinationals", "company", NULL);
        } else {
            T_EQ_INT(st, AN_ENOMEM);
            T_EQ_INT(an_gazetteer_actor_count(gz), na);
            T_EQ_INT(an_gazetteer_alias_count(gz), nl);
            expect_actor(gz, "IGOEUREEC", "Schussel", "organisation", NULL);
            expect_actor(gz, "AFG", "AFG", "country", NULL);
        }
        an_gazetteer_destroy(gz);
    }
    T_ASSERT(succeeded);
}

static void check_random(void) {
    CHECK("arbitrary bytes never crash");
    const char alphabet[] = "[]+_#\t\n -<>0123ABGOV\x00\xC3\xA9\x80";
    unsigned long long seed = 11;
    char buf[100];
    an_gazetteer *gz = an_gazetteer_create();
    for (int iter = 0; iter < 20000; iter++) {
        size_t n = (size_t)(seed % sizeof buf);
        for (size_t i = 0; i < n; i++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            buf[i] = alphabet[(seed >> 33) % (sizeof alphabet - 1)];
        }
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        an_gazetteer_load_options o;
        memset(&o, 0, sizeof o);
        o.format = AN_GAZ_PHOENIX;
        o.strict = (int)(seed >> 40) & 1;
        size_t before = an_gazetteer_alias_count(gz);
        if (an_gazetteer_load_buffer_ex(gz, buf, n, "r", &o, NULL))
            T_EQ_INT(an_gazetteer_alias_count(gz), before);
    }
    an_gazetteer_destroy(gz);
}

int main(void) {
    check_mapping();
    check_defects();
    check_across_loads();
    check_category_labels();
    check_weak_labels();
    check_oom();
    check_random();
    T_DONE();
}

/* The small gazetteer of the scanning fuzz targets (fuzz_matcher,
 * fuzz_pipeline): dated, exact-case, folded, Cyrillic, Arabic and CJK aliases,
 * a parent. setup() compiles it once, plain (g_m[0]) and accent-insensitive
 * (g_m[1]); a fuzz target is one translation unit, so the statics are its own. */
#ifndef ACTORNET_FUZZ_FIXTURE_H
#define ACTORNET_FUZZ_FIXTURE_H

#include <stdlib.h>

#include "actornet/actornet.h"

static const char gaz_text[] =
    "USA\tUnited States\tcountry\t\tUnited States|United States of America|=US|U.S.|American|"
    "Washington\n"
    "RUS\tRussia\tcountry\t\tRussia|Russian Federation|Russian|Moscow|Kremlin\n"
    "SYR\tSyria\tcountry\t\tSyria|Syrian|Damascus|Syrian Arab Republic\n"
    "LAVROV\tSergey Lavrov\tperson\tRUS\tSergey Lavrov|Sergei Lavrov|Lavrov{2004-03-09..}|"
    "Сергей Лавров\n"
    "ISIS\tIslamic State\tarmed_group\t\tIslamic State|=IS|ISIS|ISIL|Daesh|الدولة الإسلامية\n"
    "NUSRA\tJabhat al-Nusra\tarmed_group\t\tJabhat al-Nusra|al-Nusra Front|Nusra\n"
    "UN\tUnited Nations\torganisation\t\tUnited Nations|UN|U.N.|Security Council\n"
    "CIV\tCôte d’Ivoire\tcountry\t\tCôte d’Ivoire|Ivory Coast|d'Ivoire\n"
    "OLD\tOld Name\tother\t\tOldname{..1999-12-31}|~Nato\n"
    "CJK\t中国\tcountry\t\t中国|中华人民共和国\n";

static an_gazetteer *g_gz;
static an_matcher *g_m[2];

static void setup(void) {
    g_gz = an_gazetteer_create();
    if (!g_gz ||
        an_gazetteer_load_buffer(g_gz, gaz_text, sizeof gaz_text - 1, "fuzz.tsv", AN_GAZ_NATIVE,
                                 NULL) != AN_OK)
        abort();
    an_matcher_options o = {0};
    if (an_matcher_compile(g_gz, &o, &g_m[0], NULL) != AN_OK) abort();
    o.accent_insensitive = 1;
    if (an_matcher_compile(g_gz, &o, &g_m[1], NULL) != AN_OK) abort();
}

#endif

/* t_same_gazetteer: two gazetteers hold the same actors and aliases, in the
 * same order (test_util.h assertions). Header-only, for the tests that read a
 * gazetteer back: written as native TSV and loaded again
 * (test_gazetteer_write), or compiled and read back (test_compiled). */
#ifndef ACTORNET_TEST_GAZETTEER_SAME_H
#define ACTORNET_TEST_GAZETTEER_SAME_H

#include "actornet/gazetteer.h"
#include "test_util.h"

/* same_origin: b also names the same source file and line for every alias
 * (not so for a gazetteer written out and loaded from the new file). */
static void t_same_gazetteer(const an_gazetteer *a, const an_gazetteer *b, int same_origin) {
    T_EQ_INT(an_gazetteer_actor_count(a), an_gazetteer_actor_count(b));
    T_EQ_INT(an_gazetteer_alias_count(a), an_gazetteer_alias_count(b));
    for (size_t i = 0; i < an_gazetteer_actor_count(a) && i < an_gazetteer_actor_count(b); i++) {
        an_actor_info x, y;
        T_OK(an_gazetteer_actor(a, i, &x));
        T_OK(an_gazetteer_actor(b, i, &y));
        T_EQ_STR(x.id, y.id);
        T_EQ_STR(x.label, y.label);
        T_EQ_STR(x.type, y.type);
        T_EQ_INT(x.n_parents, y.n_parents);
        for (size_t p = 0; p < x.n_parents && p < y.n_parents; p++)
            T_EQ_STR(x.parents[p], y.parents[p]);
        size_t back;
        T_OK(an_gazetteer_find(b, y.id, &back));
        T_EQ_INT(back, i);
    }
    for (size_t i = 0; i < an_gazetteer_alias_count(a) && i < an_gazetteer_alias_count(b); i++) {
        an_alias_info x, y;
        T_OK(an_gazetteer_alias(a, i, &x));
        T_OK(an_gazetteer_alias(b, i, &y));
        T_EQ_STR(x.text, y.text);
        T_EQ_INT(x.actor, y.actor);
        T_EQ_INT(x.policy, y.policy);
        T_EQ_INT(x.date_from, y.date_from);
        T_EQ_INT(x.date_to, y.date_to);
        if (same_origin) {
            T_EQ_STR(x.source, y.source);
            T_EQ_INT(x.line, y.line);
        }
    }
}

#endif

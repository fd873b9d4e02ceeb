/* Named test cases: `exe NAME` runs one case, `exe` runs them all. */
#ifndef ACTORNET_TESTS_NER_CASES_H
#define ACTORNET_TESTS_NER_CASES_H

#include <stdio.h>
#include <string.h>

typedef struct t_case {
    const char *name;
    void (*fn)(void);
} t_case;

static int t_run_cases(const t_case *cases, size_t n, int argc, char **argv) {
    int found = 0;
    for (size_t i = 0; i < n; i++) {
        if (argc > 1 && strcmp(argv[1], cases[i].name) != 0) continue;
        found = 1;
        int before = an_t_failures;
        cases[i].fn();
        fprintf(stderr, "%s %s\n", an_t_failures == before ? "ok  " : "FAIL", cases[i].name);
    }
    if (!found) {
        fprintf(stderr, "no such case: %s\n", argc > 1 ? argv[1] : "(none)");
        return 1;
    }
    return 0;
}

#define T_CASES_MAIN(cases)                                                              \
    int main(int argc, char **argv) {                                                    \
        if (t_run_cases(cases, sizeof cases / sizeof cases[0], argc, argv)) return 1;   \
        T_DONE();                                                                        \
    }

#endif

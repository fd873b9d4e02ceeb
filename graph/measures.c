/* actornet — edge scores from co-mention counts (contract:
 * include/actornet/network.h; formulas and a worked example: docs/measures.md).
 *
 * Every measure reads the counts as a 2x2 contingency table over N windows.
 * Counts from mention-pair modes (token windows, AN_COUNT_MENTION_PAIRS) can
 * exceed a margin, which no such table allows, so c_ab is clamped to
 * min(c_a, c_b) and N raised to the union size first; for window counts the
 * clamps never change anything.
 */
#include <math.h>
#include <string.h>

#include "actornet/network.h"
#include "core/internal.h"

static const char *const names[] = {"count",       "jaccard", "dice", "cosine", "inclusion",
                                    "association", "pmi",     "npmi", "llr"};

AN_EXPORT const char *an_measure_name(an_measure m) {
    if ((unsigned)m >= sizeof names / sizeof names[0]) return NULL;
    return names[m];
}

AN_EXPORT an_status an_measure_parse(const char *name, an_measure *out) {
    if (!name || !out) return AN_EINVAL;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(name, names[i]) == 0) {
            *out = (an_measure)i;
            return AN_OK;
        }
    }
    return AN_EINVAL;
}

/* o * ln(o / e), with 0 ln 0 = 0. */
static double xlogx(double o, double e) { return o > 0.0 && e > 0.0 ? o * log(o / e) : 0.0; }

AN_EXPORT double an_measure_score(an_measure m, double c_ab, double c_a, double c_b, double n) {
    if (!(c_ab > 0.0) || !(c_a > 0.0) || !(c_b > 0.0) || !isfinite(c_ab + c_a + c_b + n))
        return 0.0;
    double k = c_ab;
    if (m == AN_MEASURE_COUNT) return k;
    if (k > c_a) k = c_a;
    if (k > c_b) k = c_b;
    if (n < c_a + c_b - k) n = c_a + c_b - k;
    double r = 0.0;
    switch (m) {
    case AN_MEASURE_COUNT:
        break;
    case AN_MEASURE_JACCARD:
        r = k / (c_a + c_b - k);
        break;
    case AN_MEASURE_DICE:
        r = 2.0 * k / (c_a + c_b);
        break;
    case AN_MEASURE_COSINE:
        r = k / sqrt(c_a * c_b);
        break;
    case AN_MEASURE_INCLUSION:
        r = k / (c_a < c_b ? c_a : c_b);
        break;
    case AN_MEASURE_ASSOCIATION:
        r = k * n / (c_a * c_b);
        break;
    case AN_MEASURE_PMI:
        r = log2(k * n / (c_a * c_b));
        break;
    case AN_MEASURE_NPMI: {
        double h = -log2(k / n);
        /* k == n: both actors in every window, perfect association */
        r = h > 0.0 ? log2(k * n / (c_a * c_b)) / h : 1.0;
        break;
    }
    case AN_MEASURE_LLR: {
        double o11 = k, o12 = c_a - k, o21 = c_b - k, o22 = n - c_a - c_b + k;
        double e11 = c_a * c_b / n, e12 = c_a * (n - c_b) / n, e21 = (n - c_a) * c_b / n,
               e22 = (n - c_a) * (n - c_b) / n;
        double g2 = 2.0 * (xlogx(o11, e11) + xlogx(o12, e12) + xlogx(o21, e21) + xlogx(o22, e22));
        if (g2 < 0.0) g2 = 0.0; /* rounding */
        /* signed: fewer co-mentions than expected is a repulsion, not a tie */
        r = o11 > e11 ? g2 : -g2;
        break;
    }
    }
    return isfinite(r) ? r : 0.0;
}

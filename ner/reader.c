/* actornet — the document reader: files, directories, stdin, JSON Lines. */
#include <string.h>

#include "actornet/text.h"
#include "core/internal.h"

static int digits(const char *s, size_t n, int *out) {
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

AN_EXPORT an_status an_parse_date(const char *s, size_t len, int32_t *out) {
    if (!s || !out) return AN_EINVAL;
    int y, m, d;
    size_t used;
    if (len >= 10 && s[4] == '-' && s[7] == '-') {
        if (!digits(s, 4, &y) || !digits(s + 5, 2, &m) || !digits(s + 8, 2, &d)) return AN_EPARSE;
        used = 10;
    } else if (len >= 8) {
        if (!digits(s, 4, &y) || !digits(s + 4, 2, &m) || !digits(s + 6, 2, &d)) return AN_EPARSE;
        used = 8;
    } else
        return AN_EPARSE;
    /* A timestamp may follow the date: 'T' (or a space) and a time starting with a digit. */
    if (used < len) {
        if (len - used < 2 || (s[used] != 'T' && s[used] != 't' && s[used] != ' ') ||
            s[used + 1] < '0' || s[used + 1] > '9')
            return AN_EPARSE;
    }
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1]) return AN_EPARSE;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m == 2 && d == 29 && !leap) return AN_EPARSE;
    *out = (int32_t)(y * 10000 + m * 100 + d);
    return AN_OK;
}

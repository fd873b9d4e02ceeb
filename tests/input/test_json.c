/* Internal JSON parser: values, escapes, errors with positions, depth, robustness. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ner/json.h"
#include "test_util.h"

#define CHECK(name) fprintf(stderr, "# %s\n", name)

static an_json_doc *doc;

static const an_json_value *parse_ok(const char *text) {
    const an_json_value *v = NULL;
    an_json_error e;
    memset(&e, 0, sizeof e);
    an_status st = an_i_json_parse(doc, text, strlen(text), &v, &e);
    if (st) T_FAIL("parse of %s failed: %lu:%lu %s", text, e.line, e.column, e.message);
    return st ? NULL : v;
}

/* Must fail with `status` at line:column with message `msg`. */
static void parse_bad_n(const char *text, size_t len, an_status status, unsigned long line,
                        unsigned long col, const char *msg) {
    const an_json_value *v = NULL;
    an_json_error e;
    memset(&e, 0, sizeof e);
    an_status st = an_i_json_parse(doc, text, len, &v, &e);
    if (st != status) T_FAIL("%.60s: status %d, expected %d", text, (int)st, (int)status);
    if (e.line != line || e.column != col)
        T_FAIL("%.60s: at %lu:%lu, expected %lu:%lu (%s)", text, e.line, e.column, line, col,
               e.message);
    if (msg) T_EQ_STR(e.message, msg);
}

static void parse_bad(const char *text, unsigned long col, const char *msg) {
    parse_bad_n(text, strlen(text), AN_EPARSE, 1, col, msg);
}

static void check_values(void) {
    CHECK("values and lookup");
    const an_json_value *v =
        parse_ok(" {\"a\": [1, -2.5e3, 0, true, false, null], \"s\": \"x\", \"o\": {}, "
                 "\"e\": [], \"a\": \"last\"} ");
    if (!v) return;
    T_EQ_INT(v->type, AN_JSON_OBJECT);
    T_EQ_INT(v->len, 5);
    const an_json_value *a = v->child;
    T_EQ_STR(a->key, "a");
    T_EQ_INT(a->type, AN_JSON_ARRAY);
    T_EQ_INT(a->len, 6);
    const an_json_value *x = a->child;
    T_EQ_INT(x->type, AN_JSON_NUMBER);
    T_EQ_STR(x->str, "1");
    T_NEAR(x->number, 1, 0);
    x = x->next;
    T_EQ_STR(x->str, "-2.5e3");
    T_NEAR(x->number, -2500, 0);
    x = x->next;
    T_NEAR(x->number, 0, 0);
    T_EQ_INT(x->next->type, AN_JSON_TRUE);
    T_EQ_INT(x->next->next->type, AN_JSON_FALSE);
    T_EQ_INT(x->next->next->next->type, AN_JSON_NULL);
    T_ASSERT(x->next->next->next->next == NULL);
    /* repeated keys: the last one wins */
    const an_json_value *last = an_i_json_get(v, "a");
    T_ASSERT(last && last->type == AN_JSON_STRING);
    if (last) T_EQ_STR(last->str, "last");
    T_EQ_INT(an_i_json_get(v, "o")->len, 0);
    T_ASSERT(an_i_json_get(v, "missing") == NULL);
    T_ASSERT(an_i_json_get(a, "x") == NULL);
    v = parse_ok("\"top\"");
    if (v) T_EQ_STR(v->str, "top");
    v = parse_ok("-0.0E+1");
    if (v) T_EQ_STR(v->str, "-0.0E+1");
}

static void check_strings(void) {
    CHECK("string escapes and surrogates");
    const an_json_value *v = parse_ok("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u0041\\u00e9\\u20AC\"");
    if (v) T_EQ_STR(v->str, "a\"b\\c/d\b\f\n\r\tA\xC3\xA9\xE2\x82\xAC");
    v = parse_ok("\"\\ud83d\\ude00|\\uD83D|\\uDE00|\\ud83dx|\\ud83d\\u0041\"");
    if (v)
        T_EQ_STR(v->str, "\xF0\x9F\x98\x80|\xEF\xBF\xBD|\xEF\xBF\xBD|\xEF\xBF\xBDx|\xEF\xBF\xBD"
                         "A");
    v = parse_ok("\"nul\\u0000inside\"");
    if (v) {
        T_EQ_INT(v->len, 10);
        T_ASSERT(memcmp(v->str, "nul\0inside", 10) == 0);
    }
    v = parse_ok("\"raw UTF-8: \xC3\xA9 \xF0\x9F\x98\x80\"");
    if (v) T_EQ_STR(v->str, "raw UTF-8: \xC3\xA9 \xF0\x9F\x98\x80");
}

static void check_errors(void) {
    CHECK("errors with positions");
    parse_bad("", 1, "unexpected end of input, expected a value");
    parse_bad("   ", 4, "unexpected end of input, expected a value");
    parse_bad("{\"a\" 1}", 6, "unexpected '1', expected ':'");
    parse_bad("{\"a\":1,}", 8, "unexpected '}', expected a member name");
    parse_bad("[1,]", 4, "unexpected ']', expected a value");
    parse_bad("[1 2]", 4, "unexpected '2', expected ',' or ']'");
    parse_bad("{\"a\":1 \"b\"}", 8, "unexpected '\"', expected ',' or '}'");
    parse_bad("{a:1}", 2, "unexpected 'a', expected a member name");
    parse_bad("01", 2, "leading zero in number");
    parse_bad("1.", 3, "unexpected end of input, expected a digit after '.'");
    parse_bad("1e+", 4, "unexpected end of input, expected a digit in exponent");
    parse_bad("-", 2, "unexpected end of input, expected a digit");
    parse_bad(".5", 1, "unexpected '.', expected a value");
    parse_bad("+1", 1, "unexpected '+', expected a value");
    parse_bad("tru", 1, "unexpected 't', expected a value");
    parse_bad("nul", 1, "unexpected 'n', expected a value");
    parse_bad("NaN", 1, "unexpected 'N', expected a value");
    parse_bad("1 2", 3, "unexpected '2', expected end of input after the value");
    parse_bad("\"abc", 5, "unterminated string");
    parse_bad("\"a\\", 4, "unterminated string");
    parse_bad("\"a\\x\"", 3, "invalid escape");
    parse_bad("\"a\\u12G4\"", 3, "invalid \\u escape");
    parse_bad("\"a\\u12\"", 3, "invalid \\u escape");
    parse_bad("\"tab\there\"", 5, "control character in string");
    parse_bad("\"bad \xC3( utf8\"", 6, "invalid UTF-8 in string");
    parse_bad("\"overlong \xC0\xAF\"", 11, "invalid UTF-8 in string");
    parse_bad("\"surrogate \xED\xA0\x80\"", 12, "invalid UTF-8 in string");
    parse_bad("\"cut \xE2\x82\"", 6, "invalid UTF-8 in string");
    /* inside a run of non-ASCII bytes (a Cyrillic word): the bad sequence's column */
    parse_bad("\"\xD0\xB0\xD0\xB1\xFF\xD0\xB2\"", 6, "invalid UTF-8 in string");
    parse_bad("\"\xD0\xB0\xD0\xB1\xD0\"", 6, "invalid UTF-8 in string");
    parse_bad("\"\xD0\xB0\xE2\x82\xD0\xB2 x\"", 4, "invalid UTF-8 in string");
    parse_bad("// comment\n1", 1, "unexpected '/', expected a value");
    parse_bad("\xEF\xBB\xBF{}", 1, "unexpected byte 0xEF, expected a value");
    parse_bad_n("[1,\n 2,\n x]", 11, AN_EPARSE, 3, 2, "unexpected 'x', expected a value");
    parse_bad_n("[\0]", 3, AN_EPARSE, 1, 2, "unexpected byte 0x00, expected a value");
    parse_bad_n("\"a\0b\"", 5, AN_EPARSE, 1, 3, "control character in string");
}

static void check_depth(void) {
    CHECK("nesting limit");
    char buf[300];
    int d = AN_JSON_MAX_DEPTH;
    memset(buf, '[', (size_t)d);
    memset(buf + d, ']', (size_t)d);
    buf[2 * d] = '\0';
    parse_ok(buf);
    memset(buf, '[', (size_t)d + 1);
    memset(buf + d + 1, ']', (size_t)d + 1);
    buf[2 * d + 2] = '\0';
    parse_bad_n(buf, strlen(buf), AN_ELIMIT, 1, (unsigned long)d + 1, "nesting too deep");
    /* very deep input never recurses past the limit */
    size_t n = 1000000;
    char *deep = malloc(n);
    memset(deep, 0x5B, n);
    parse_bad_n(deep, n, AN_ELIMIT, 1, (unsigned long)d + 1, "nesting too deep");
    free(deep);
}

static void check_robust(void) {
    CHECK("arbitrary bytes never crash; the doc is reusable");
    unsigned long long seed = 12345;
    char buf[64];
    const char alphabet[] = "{}[]\":,\\u0123456789abcdefABCDEFtrueflsn -+.eE \t\n\x80\xC3\xED\xF0";
    int ok = 0;
    for (int iter = 0; iter < 200000; iter++) {
        size_t len = (size_t)(iter % 40);
        for (size_t i = 0; i < len; i++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            buf[i] = (seed >> 60) & 1 ? alphabet[(seed >> 33) % (sizeof alphabet - 1)]
                                       : (char)(seed >> 40);
        }
        const an_json_value *v;
        an_json_error e;
        an_status st = an_i_json_parse(doc, buf, len, &v, &e);
        T_ASSERT(st == AN_OK || st == AN_EPARSE || st == AN_ELIMIT);
        if (st == AN_OK) ok++;
        else T_ASSERT(e.offset <= len && e.line >= 1 && e.column >= 1);
    }
    T_ASSERT(ok > 0);
    /* after all that, the same doc still parses correctly */
    const an_json_value *v = parse_ok("{\"text\":\"fine\"}");
    if (v) T_EQ_STR(an_i_json_get(v, "text")->str, "fine");
}

static void check_utf8(void) {
    CHECK("UTF-8 validation");
    T_EQ_INT(an_i_utf8_valid_prefix("abc\xC3\xA9", 5), 5);
    T_EQ_INT(an_i_utf8_valid_prefix("ab\xF4\x90\x80\x80", 6), 2); /* > U+10FFFF */
    T_EQ_INT(an_i_utf8_valid_prefix("\xF4\x8F\xBF\xBF", 4), 4);   /* U+10FFFF */
    T_EQ_INT(an_i_utf8_valid_prefix("\xE0\x9F\x80", 3), 0);       /* overlong */
    T_EQ_INT(an_i_utf8_valid_prefix("\xED\x9F\xBF", 3), 3);       /* U+D7FF */
    T_EQ_INT(an_i_utf8_valid_prefix("a\x80", 2), 1);
    T_EQ_INT(an_i_utf8_valid_prefix("a\xF8\x88\x80\x80\x80", 6), 1);
    T_EQ_INT(an_i_utf8_valid_prefix("\xE2\x82", 2), 0);
}

/* Runs of non-ASCII bytes are checked inline for two- and three-byte
 * sequences: every three-byte lead with every second byte and a choice of
 * third bytes, between a Cyrillic and a CJK letter, is accepted exactly
 * when the reference validator accepts it, and rejected at the column where
 * it stops. */
static void check_utf8_runs(void) {
    CHECK("UTF-8 runs in strings: inline checks agree with the validator");
    static const unsigned char thirds[] = {0x80, 0xBF, 0x7F, 0xC0, 'a', 0xE4};
    char buf[32];
    for (unsigned lead = 0xE0; lead <= 0xEF; lead++) {
        for (unsigned b1 = 0; b1 < 256; b1++) {
            for (size_t t = 0; t < sizeof thirds; t++) {
                if (b1 == '"' || b1 == '\\' || b1 < 0x20) continue;
                /* "аX中" with X = lead b1 third */
                const unsigned char body[] = {0xD0, 0xB0, (unsigned char)lead, (unsigned char)b1,
                                              thirds[t], 0xE4, 0xB8, 0xAD};
                if (thirds[t] == '"' || thirds[t] == '\\') continue;
                size_t n = 0;
                buf[n++] = '"';
                memcpy(buf + n, body, sizeof body);
                n += sizeof body;
                buf[n++] = '"';
                size_t ok = an_i_utf8_valid_prefix((const char *)body, sizeof body);
                const an_json_value *v = NULL;
                an_json_error e;
                memset(&e, 0, sizeof e);
                an_status st = an_i_json_parse(doc, buf, n, &v, &e);
                if (ok == sizeof body) {
                    if (st != AN_OK) T_FAIL("%02X %02X %02X rejected: %s", lead, b1, thirds[t], e.message);
                } else if (st != AN_EPARSE || e.column != ok + 2) {
                    T_FAIL("%02X %02X %02X: status %d at column %lu, want an error at %zu", lead,
                           b1, thirds[t], (int)st, e.column, ok + 2);
                }
            }
        }
    }
}

/* The string scan skips plain ASCII eight bytes at a time: a quote, a
 * backslash, a control character or a UTF-8 lead byte must be seen at every
 * position of strings of every length around that stride. */
static void check_string_scan(void) {
    CHECK("string scan: a special byte at every position of strings of 0..39 bytes");
    static const char *const kinds[] = {"\"", "\\n", "\x01", "\x1f", "\xC3\xA9"};
    for (size_t len = 0; len < 40; len++) {
        for (size_t pos = 0; pos <= len; pos++) {
            for (size_t k = 0; k < 5; k++) {
                int plain = pos == len; /* no special byte at all */
                if (plain && k) break;
                char buf[128];
                size_t n = 0, body = 0;
                buf[n++] = '[';
                buf[n++] = '"';
                for (size_t i = 0; i < len; i++) {
                    if (i == pos && !plain) {
                        size_t kl = strlen(kinds[k]);
                        memcpy(buf + n, kinds[k], kl);
                        n += kl;
                        body += k == 1 ? 1 : k == 4 ? 2 : 1; /* "\n" decodes to one byte */
                    } else {
                        buf[n++] = (char)('a' + i % 26);
                        body++;
                    }
                }
                buf[n++] = '"';
                buf[n++] = ']';
                const an_json_value *v = NULL;
                an_json_error e;
                memset(&e, 0, sizeof e);
                an_status st = an_i_json_parse(doc, buf, n, &v, &e);
                if (plain || k == 1 || k == 4) {
                    if (st != AN_OK || !v || !v->child || v->child->len != body)
                        T_FAIL("len %zu pos %zu kind %zu: not parsed whole", len, pos, k);
                } else if (k == 0) { /* the string ends early: junk before ']' */
                    if (st != AN_EPARSE || e.column != pos + 4)
                        T_FAIL("len %zu pos %zu: quote not seen (column %lu)", len, pos, e.column);
                } else if (st != AN_EPARSE || e.column != pos + 3 ||
                           strcmp(e.message, "control character in string") != 0) {
                    T_FAIL("len %zu pos %zu kind %zu: control character not seen (%lu: %s)", len,
                           pos, k, e.column, e.message);
                }
            }
        }
    }
}

int main(void) {
    doc = an_i_json_doc_create();
    T_ASSERT(doc != NULL);
    if (!doc) T_DONE();
    check_values();
    check_strings();
    check_errors();
    check_depth();
    check_robust();
    check_utf8();
    check_utf8_runs();
    check_string_scan();
    an_i_json_doc_free(doc);
    an_i_json_doc_free(NULL);
    T_DONE();
}

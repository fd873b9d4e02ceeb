/* actornet — a gazetteer and its compiled matcher as one byte string, for
 * the CLI's cache (docs/design.md, "The compiled gazetteer cache").
 *
 * Layout (numbers in the machine's byte order):
 *   "ANCOMPLD"                     magic
 *   u32 0x01020304, u32 sizeof(size_t), u32 format version
 *   str build id                   digest of the sources (ner/build_id.py)
 *   u64 key length, key bytes      the caller's: what the gazetteer came from
 *   zero bytes to a multiple of 8
 *   u64 payload length, u64 checksum of the payload
 *   payload: u64 note length and the note's bytes (the caller's: e.g. the
 *   load's warnings), the gazetteer (an_i_gaz_put, ending in its
 *   an_gazetteer_fingerprint), the matcher
 *   (an_i_matcher_put), whose arrays start at multiples of 8 bytes (from the
 *   file's start, too) so that AN_COMPILED_BORROW can use them in place
 * A header of another machine, format, build or key reads as AN_ENOTFOUND
 * (a stale cache); anything else that does not hold together as AN_EPARSE.
 */
#include <stdlib.h>
#include <string.h>

#include "actornet/matcher.h"
#include "core/internal.h"
#include "ner/compiled.h"

static const char magic[8] = {'A', 'N', 'C', 'O', 'M', 'P', 'L', 'D'};

/* Four independent multiply-xorshift lanes over 32-byte blocks: about a
 * millisecond for the Phoenix dictionaries' 10 MB, and a damaged byte
 * anywhere changes the sum. Not a defence against a crafted file; the
 * readers check every index themselves. */
uint64_t an_i_compiled_checksum(const void *data, size_t n) {
    const unsigned char *p = data;
    const uint64_t k = 0x9E3779B97F4A7C15ull;
    uint64_t lane[4] = {k, k ^ 1, k ^ 2, k ^ 3};
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        for (int j = 0; j < 4; j++) {
            uint64_t x;
            memcpy(&x, p + i + 8 * (size_t)j, 8);
            lane[j] = (lane[j] ^ x) * 0xFF51AFD7ED558CCDull;
            lane[j] ^= lane[j] >> 32;
        }
    }
    uint64_t h = (uint64_t)n;
    for (int j = 0; j < 4; j++) h = (h ^ lane[j]) * k, h ^= h >> 29;
    for (; i < n; i++) h = (h ^ p[i]) * 0x100000001B3ull;
    return h ^ (h >> 31);
}

void an_i_compiled_put_header(an_i_wbuf *w, const void *key, size_t key_len, const void *body,
                              size_t body_len) {
    an_i_wbuf_put(w, magic, sizeof magic);
    an_i_wbuf_u32(w, 0x01020304u);
    an_i_wbuf_u32(w, (uint32_t)sizeof(size_t));
    an_i_wbuf_u32(w, AN_I_COMPILED_FORMAT);
    an_i_wbuf_str(w, an_i_compiled_build_id);
    an_i_wbuf_u64(w, key_len);
    an_i_wbuf_put(w, key, key_len);
    an_i_wbuf_align8(w); /* the payload at a multiple of 8 (its arrays aligned) */
    an_i_wbuf_u64(w, body_len);
    an_i_wbuf_u64(w, an_i_compiled_checksum(body, body_len));
}

/* ---- public API ------------------------------------------------------------ */

AN_EXPORT an_status an_compiled_write(const an_gazetteer *gz, const an_matcher *m,
                                      const void *key, size_t key_len, const void *note,
                                      size_t note_len, FILE *out, an_error *err) {
    if (!gz || !m || !out || (!key && key_len) || (!note && note_len))
        return an_i_error(err, AN_EINVAL, NULL, 0, 0, "an_compiled_write: NULL argument");
    an_i_wbuf body = {0}, head = {0};
    an_i_wbuf_u64(&body, note_len);
    an_i_wbuf_put(&body, note, note_len);
    an_i_gaz_put(&body, gz);
    an_i_matcher_put(&body, m);
    if (!body.oom) an_i_compiled_put_header(&head, key, key_len, body.p, body.len);
    an_status st = AN_OK;
    if (body.oom || head.oom) {
        st = an_i_error(err, AN_ENOMEM, NULL, 0, 0, "compiled gazetteer: out of memory");
    } else if (fwrite(head.p, 1, head.len, out) != head.len ||
               fwrite(body.p, 1, body.len, out) != body.len) {
        st = an_i_error(err, AN_EIO, NULL, 0, 0, "compiled gazetteer: write failed");
    }
    an_i_free(head.p);
    an_i_free(body.p);
    return st;
}

AN_EXPORT an_status an_compiled_read(const void *data, size_t len, const void *key,
                                     size_t key_len, unsigned flags, an_gazetteer **gz_out,
                                     an_matcher **m_out, const void **note, size_t *note_len,
                                     an_error *err) {
    if ((!data && len) || (!key && key_len) || !gz_out)
        return an_i_error(err, AN_EINVAL, NULL, 0, 0, "an_compiled_read: NULL argument");
    *gz_out = NULL;
    if (m_out) *m_out = NULL;
    an_i_rcur r = {data, (const unsigned char *)data + len, 0, 0, data};
    const void *mg = an_i_rcur_get(&r, sizeof magic);
    if (!mg || memcmp(mg, magic, sizeof magic) != 0)
        return an_i_error(err, AN_EPARSE, NULL, 0, 0, "not a compiled gazetteer");
    uint32_t order = an_i_rcur_u32(&r), width = an_i_rcur_u32(&r), version = an_i_rcur_u32(&r);
    const char *id;
    size_t id_len;
    if (!an_i_rcur_str(&r, &id, &id_len) || !id)
        return an_i_error(err, AN_EPARSE, NULL, 0, 0, "compiled gazetteer: damaged header");
    if (order != 0x01020304u || width != sizeof(size_t) || version != AN_I_COMPILED_FORMAT ||
        id_len != strlen(an_i_compiled_build_id) ||
        memcmp(id, an_i_compiled_build_id, id_len) != 0)
        return an_i_error(err, AN_ENOTFOUND, NULL, 0, 0,
                          "compiled gazetteer of another build or machine");
    size_t kl = an_i_rcur_count(&r, 1);
    const void *k = an_i_rcur_get(&r, kl);
    an_i_rcur_align8(&r);
    size_t body_len = an_i_rcur_count(&r, 1);
    uint64_t sum = an_i_rcur_u64(&r);
    r.base = r.p;
    r.borrow = (flags & AN_COMPILED_BORROW) != 0;
    if (r.bad || (size_t)(r.end - r.p) != body_len)
        return an_i_error(err, AN_EPARSE, NULL, 0, 0, "compiled gazetteer: damaged header");
    if (kl != key_len || (kl && memcmp(k, key, kl) != 0))
        return an_i_error(err, AN_ENOTFOUND, NULL, 0, 0, "compiled gazetteer of another key");
    if (an_i_compiled_checksum(r.p, body_len) != sum)
        return an_i_error(err, AN_EPARSE, NULL, 0, 0, "compiled gazetteer: checksum mismatch");
    size_t nl = an_i_rcur_count(&r, 1);
    const void *nt = an_i_rcur_get(&r, nl);
    an_gazetteer *gz = NULL;
    an_matcher *m = NULL;
    an_status st = r.bad ? AN_EPARSE : an_i_gaz_get(&r, &gz);
    /* without m_out the matcher's bytes, covered by the checksum, are not parsed */
    if (st == AN_OK && m_out) st = an_i_matcher_get(&r, gz, &m);
    if (st == AN_OK && m_out && r.p != r.end) st = AN_EPARSE; /* bytes left over */
    if (st != AN_OK) {
        an_matcher_destroy(m);
        an_gazetteer_destroy(gz);
        return an_i_error(err, st, NULL, 0, 0,
                          st == AN_ENOMEM ? "compiled gazetteer: out of memory"
                                          : "compiled gazetteer: inconsistent contents");
    }
    *gz_out = gz;
    if (m_out) *m_out = m;
    if (note) *note = nt;
    if (note_len) *note_len = nl;
    return AN_OK;
}

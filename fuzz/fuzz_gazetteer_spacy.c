/* libFuzzer target: an_gazetteer_load_buffer() with AN_GAZ_SPACY. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_gazetteer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    return an_fz_gazetteer(data, size, AN_GAZ_SPACY);
}

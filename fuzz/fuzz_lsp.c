/* fuzz_lsp.c - libFuzzer entry point for fuzz_lsp (see targets.h). */
#include "targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_lsp(data, size);
}

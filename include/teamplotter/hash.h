#ifndef TEAMPLOTTER_HASH_H
#define TEAMPLOTTER_HASH_H

#include <stddef.h>

#define TP_SHA256_HEX_LEN 64

/* SHA-256 of `len` bytes as lower-case hex into `out` (65 bytes with NUL).
 * Uses GnuTLS. Returns 0 on success. Thread-safe. */
int tp_sha256_hex(const void *data, size_t len, char out[TP_SHA256_HEX_LEN + 1]);

#endif

#ifndef TEAMPLOTTER_HASH_H
#define TEAMPLOTTER_HASH_H

#include <stddef.h>

#define TP_SHA256_HEX_LEN 64
#define TP_XXH128_HEX_LEN 32

/* `n` bytes as lower-case hex into `out` (2 * n + 1 bytes with NUL). */
void tp_hex(const unsigned char *in, size_t n, char *out);

/* SHA-256 of `len` bytes as lower-case hex into `out` (65 bytes with NUL).
 * Uses GnuTLS. Returns 0 on success. Thread-safe. */
int tp_sha256_hex(const void *data, size_t len, char out[TP_SHA256_HEX_LEN + 1]);

/* XXH3-128 of `len` bytes as lower-case hex in xxHash's canonical
 * (big-endian) byte order into `out` (33 bytes with NUL).
 * Not cryptographic: for content checks only, never for secrets or
 * against a party that chooses the bytes to collide. Thread-safe. */
void tp_xxh128_hex(const void *data, size_t len, char out[TP_XXH128_HEX_LEN + 1]);

#endif

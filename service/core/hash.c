#include "teamplotter/hash.h"

#include <gnutls/crypto.h>
#include <xxhash.h>

void tp_hex(const unsigned char *in, size_t n, char *out) {
  static const char hex[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = hex[in[i] >> 4];
    out[2 * i + 1] = hex[in[i] & 0x0f];
  }
  out[2 * n] = '\0';
}

int tp_sha256_hex(const void *data, size_t len, char out[TP_SHA256_HEX_LEN + 1]) {
  unsigned char digest[32];
  if (gnutls_hash_fast(GNUTLS_DIG_SHA256, data, len, digest) != 0) return -1;
  tp_hex(digest, sizeof(digest), out);
  return 0;
}

void tp_xxh128_hex(const void *data, size_t len, char out[TP_XXH128_HEX_LEN + 1]) {
  XXH128_canonical_t c;
  /* The canonical form: the same hex on every machine, whatever its byte order. */
  XXH128_canonicalFromHash(&c, XXH3_128bits(data, len));
  tp_hex(c.digest, sizeof(c.digest), out);
}

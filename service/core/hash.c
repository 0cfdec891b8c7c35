#include "teamplotter/hash.h"

#include <gnutls/crypto.h>

int tp_sha256_hex(const void *data, size_t len, char out[TP_SHA256_HEX_LEN + 1]) {
  static const char hex[] = "0123456789abcdef";
  unsigned char digest[32];
  if (gnutls_hash_fast(GNUTLS_DIG_SHA256, data, len, digest) != 0) return -1;
  for (size_t i = 0; i < sizeof(digest); i++) {
    out[2 * i] = hex[digest[i] >> 4];
    out[2 * i + 1] = hex[digest[i] & 0x0f];
  }
  out[TP_SHA256_HEX_LEN] = '\0';
  return 0;
}

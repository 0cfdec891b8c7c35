/* libFuzzer target: bearer tokens (service/core/token.c, through libjwt).
 *
 * The input is used twice:
 *  1. whole, as a NUL-terminated token: tp_token_client, and tp_token_verify
 *     for the fixed client and secret the seed tokens are signed with;
 *  2. split at the first two newlines into CLIENT_ID \n SECRET \n TOKEN:
 *     TOKEN is read and verified with CLIENT_ID and SECRET, and a token is
 *     minted for CLIENT_ID with SECRET (lifetime from the input's length)
 *     and must come back through tp_token_client and tp_token_verify:
 *     OK now, EXPIRED at its exp, BAD_TIMES when it lives longer than the
 *     maximum age, BAD_SIGNATURE with another secret, MALFORMED for another
 *     client. */
#include <time.h>

#include "fuzz_common.h"
#include "teamplotter/token.h"

static const char CLIENT[] = "gm0855-portaal";
static const char SECRET[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
static const time_t NOW = 1800000000; /* the seeds' iat is NOW - 10 */
static const long MAX_AGE = 3600;

/* The client ids the service hands out (token.c: client_id_valid). */
static int id_valid(const char *id) {
  size_t n = strlen(id);
  if (n == 0 || n > TP_CLIENT_ID_MAX) return 0;
  for (const char *p = id; *p; p++) {
    char c = *p;
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
          c == '.' || c == '_' || c == '-')) {
      return 0;
    }
  }
  return 1;
}

static int is_result(enum tp_token_result r) {
  return r == TP_TOKEN_OK || r == TP_TOKEN_MALFORMED || r == TP_TOKEN_BAD_SIGNATURE ||
         r == TP_TOKEN_EXPIRED || r == TP_TOKEN_BAD_TIMES;
}

/* Reads and verifies `token` as the service does for one request. */
static void check_token(const char *token, const char *client, const char *secret) {
  char id[TP_CLIENT_ID_MAX + 1];
  memset(id, 0x5a, sizeof(id));
  enum tp_token_result r = tp_token_client(token, id);
  FUZZ_CHECK(is_result(r) && (r == TP_TOKEN_OK || r == TP_TOKEN_MALFORMED), "client: %d", r);
  if (r == TP_TOKEN_OK) {
    FUZZ_CHECK(memchr(id, '\0', sizeof(id)) != NULL && id_valid(id), "client id '%.*s' is bad",
               (int)sizeof(id), id);
  }
  enum tp_token_result v = tp_token_verify(token, client, secret, NOW, MAX_AGE);
  FUZZ_CHECK(is_result(v), "verify: %d", v);
  FUZZ_CHECK(v != TP_TOKEN_OK || (r == TP_TOKEN_OK && strcmp(id, client) == 0),
             "verified a token whose client_id does not read back as '%s'", client);
  (void)tp_token_reason(v);
}

static void check_round_trip(const char *client, const char *secret, long lifetime) {
  char *token = tp_token_mint(client, secret, NOW, lifetime);
  if (id_valid(client) && secret[0] != '\0') {
    FUZZ_CHECK(token != NULL, "no token minted for '%s'", client);
  }
  if (token == NULL) return;
  char id[TP_CLIENT_ID_MAX + 1];
  enum tp_token_result r = tp_token_client(token, id);
  if (id_valid(client)) {
    FUZZ_CHECK(r == TP_TOKEN_OK && strcmp(id, client) == 0, "minted '%s' reads back as %d '%s'",
               client, r, r == TP_TOKEN_OK ? id : "");
  } else {
    FUZZ_CHECK(r == TP_TOKEN_MALFORMED, "client id '%s' accepted by tp_token_client", client);
  }
  enum tp_token_result want = lifetime <= MAX_AGE ? TP_TOKEN_OK : TP_TOKEN_BAD_TIMES;
  enum tp_token_result v = tp_token_verify(token, client, secret, NOW, MAX_AGE);
  FUZZ_CHECK(v == want, "minted token for '%s' (lifetime %ld) verifies as %d", client, lifetime, v);
  if (lifetime <= MAX_AGE) {
    v = tp_token_verify(token, client, secret, NOW + lifetime - 1, MAX_AGE);
    FUZZ_CHECK(v == TP_TOKEN_OK, "valid until exp: %d", v);
    v = tp_token_verify(token, client, secret, NOW + lifetime, MAX_AGE);
    FUZZ_CHECK(v == TP_TOKEN_EXPIRED, "at exp: %d", v);
  }
  size_t n = strlen(secret);
  char *other = malloc(n + 2);
  if (other == NULL) abort();
  memcpy(other, secret, n);
  other[n] = 'x';
  other[n + 1] = '\0';
  v = tp_token_verify(token, client, other, NOW, MAX_AGE);
  FUZZ_CHECK(v == TP_TOKEN_BAD_SIGNATURE, "verified with another secret: %d", v);
  free(other);
  v = tp_token_verify(token, "someone-else", secret, NOW, MAX_AGE);
  FUZZ_CHECK(strcmp(client, "someone-else") == 0 || v == TP_TOKEN_MALFORMED,
             "verified for another client: %d", v);
  free(token);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *s = fuzz_cstring(data, size);
  check_token(s, CLIENT, SECRET);

  char *nl1 = strchr(s, '\n');
  char *nl2 = nl1 ? strchr(nl1 + 1, '\n') : NULL;
  if (nl2 != NULL) {
    *nl1 = '\0';
    *nl2 = '\0';
    const char *client = s, *secret = nl1 + 1, *token = nl2 + 1;
    check_token(token, client, secret);
    /* 1 s up to just over the maximum age, from the input. */
    long lifetime = 1 + (long)(size % (unsigned long)(MAX_AGE + 2));
    check_round_trip(client, secret, lifetime);
  }
  free(s);
  return 0;
}

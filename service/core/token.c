#include "teamplotter/token.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jwt.h>

/* Clock skew tolerated between the token's issuer and us. */
#define SKEW_S 60

const char *tp_token_reason(enum tp_token_result r) {
  switch (r) {
  case TP_TOKEN_OK: return "Het token is geldig.";
  case TP_TOKEN_MALFORMED: return "Het token is geen geldige JWT met een client_id.";
  case TP_TOKEN_BAD_SIGNATURE: return "De handtekening van het token klopt niet.";
  case TP_TOKEN_EXPIRED: return "Het token is verlopen.";
  case TP_TOKEN_BAD_TIMES: return "Het token heeft geen geldige iat en exp.";
  }
  return "Het token is ongeldig.";
}

static int client_id_valid(const char *id) {
  size_t n = id ? strlen(id) : 0;
  if (n == 0 || n > TP_CLIENT_ID_MAX) return 0;
  for (size_t i = 0; i < n; i++) {
    char c = id[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
          c == '.' || c == '_' || c == '-')) {
      return 0;
    }
  }
  return 1;
}

/* Three base64url segments, header and payload not empty: libjwt 1.10.2
 * writes past a 0-byte buffer when a segment is empty. */
static int jwt_shape_ok(const char *t) {
  int dots = 0;
  size_t seg = 0;
  for (const char *p = t;; p++) {
    char c = *p;
    if (c == '.' || c == '\0') {
      if (seg == 0 && dots < 2) return 0;
      if (c == '\0') break;
      dots++;
      seg = 0;
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_') {
      seg++;
    } else {
      return 0;
    }
  }
  return dots == 2;
}

enum tp_token_result tp_token_client(const char *token, char out[TP_CLIENT_ID_MAX + 1]) {
  jwt_t *jwt = NULL;
  /* No key: parse only. The signature is checked by tp_token_verify. */
  if (token == NULL || strlen(token) > 4096 || !jwt_shape_ok(token) ||
      jwt_decode(&jwt, token, NULL, 0) != 0) {
    return TP_TOKEN_MALFORMED;
  }
  const char *id = jwt_get_grant(jwt, "client_id");
  enum tp_token_result r = TP_TOKEN_MALFORMED;
  if (client_id_valid(id)) {
    snprintf(out, TP_CLIENT_ID_MAX + 1, "%s", id);
    r = TP_TOKEN_OK;
  }
  jwt_free(jwt);
  return r;
}

enum tp_token_result tp_token_verify(const char *token, const char *client_id,
                                     const char *secret, time_t now, long max_age) {
  jwt_t *jwt = NULL;
  if (!jwt_shape_ok(token) ||
      jwt_decode(&jwt, token, (const unsigned char *)secret, (int)strlen(secret)) != 0) {
    return TP_TOKEN_BAD_SIGNATURE;
  }
  enum tp_token_result r = TP_TOKEN_OK;
  const char *id = jwt_get_grant(jwt, "client_id");
  errno = 0;
  long iat = jwt_get_grant_int(jwt, "iat");
  int iat_missing = errno != 0;
  errno = 0;
  long exp = jwt_get_grant_int(jwt, "exp");
  int exp_missing = errno != 0;
  if (jwt_get_alg(jwt) != JWT_ALG_HS256) {
    r = TP_TOKEN_BAD_SIGNATURE;
  } else if (id == NULL || strcmp(id, client_id) != 0) {
    r = TP_TOKEN_MALFORMED;
  } else if (iat_missing || exp_missing || iat < 0 || exp < 0 || iat > (long)now + SKEW_S ||
             exp <= iat || exp - iat > max_age) {
    /* Both times are non-negative before they are subtracted: no overflow. */
    r = TP_TOKEN_BAD_TIMES;
  } else if ((long)now >= exp) {
    r = TP_TOKEN_EXPIRED;
  }
  jwt_free(jwt);
  return r;
}

char *tp_token_mint(const char *client_id, const char *secret, time_t now, long lifetime) {
  jwt_t *jwt = NULL;
  char *out = NULL;
  if (jwt_new(&jwt) != 0) return NULL;
  if (jwt_add_grant(jwt, "client_id", client_id) == 0 &&
      jwt_add_grant_int(jwt, "iat", (long)now) == 0 &&
      jwt_add_grant_int(jwt, "exp", (long)now + lifetime) == 0 &&
      jwt_set_alg(jwt, JWT_ALG_HS256, (const unsigned char *)secret, (int)strlen(secret)) == 0) {
    out = jwt_encode_str(jwt);
  }
  jwt_free(jwt);
  return out;
}

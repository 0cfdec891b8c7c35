#ifndef TEAMPLOTTER_TOKEN_H
#define TEAMPLOTTER_TOKEN_H

#include <stddef.h>
#include <time.h>

/* HS256 bearer tokens (ZGW style: claims client_id, iat, exp), through
 * libjwt. Pure functions of their arguments; thread-safe. */

#define TP_CLIENT_ID_MAX 64

enum tp_token_result {
  TP_TOKEN_OK = 0,
  TP_TOKEN_MALFORMED,     /* not a JWT, or no client_id */
  TP_TOKEN_BAD_SIGNATURE, /* signature does not verify, or not HS256 */
  TP_TOKEN_EXPIRED,       /* exp is in the past */
  TP_TOKEN_BAD_TIMES,     /* iat/exp missing, iat in the future, or lives too long */
};

/* A short Dutch explanation for a problem's detail. */
const char *tp_token_reason(enum tp_token_result r);

/* Reads the client_id claim of `token` without verifying anything, so the
 * caller can look up the client's secret. */
enum tp_token_result tp_token_client(const char *token, char out[TP_CLIENT_ID_MAX + 1]);

/* Verifies signature (HS256 with `secret`), client_id equal to
 * `client_id`, and the times: iat <= now + 60 s, now < exp, and
 * exp - iat <= max_age. */
enum tp_token_result tp_token_verify(const char *token, const char *client_id,
                                     const char *secret, time_t now, long max_age);

/* Mints a token for `client_id` valid from `now` for `lifetime` seconds.
 * New string, free(); NULL on failure. */
char *tp_token_mint(const char *client_id, const char *secret, time_t now, long lifetime);

#endif

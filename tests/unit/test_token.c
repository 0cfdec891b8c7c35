/* HS256 bearer tokens (service/core/token.c): minting, reading the
 * client_id without a key, and verification of signature, algorithm,
 * client_id and times. Foreign tokens are made here with libjwt directly. */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jwt.h>

#include "teamplotter/token.h"

static const char SECRET[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
static const char OTHER_SECRET[] = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";
static const time_t NOW = 1800000000; /* 2027-01-15 */
static const long MAX_AGE = 3600;

/* Grants for a hand-made token; a missing member is left out of the token. */
struct grants {
  const char *client_id; /* NULL: no client_id */
  int has_iat, has_exp;
  long iat, exp;
};

/* A token signed with `alg` and `key` (NULL for "none"), via libjwt. */
static char *make_token(const struct grants *g, jwt_alg_t alg, const char *key) {
  jwt_t *jwt = NULL;
  ck_assert_int_eq(jwt_new(&jwt), 0);
  if (g->client_id != NULL) ck_assert_int_eq(jwt_add_grant(jwt, "client_id", g->client_id), 0);
  if (g->has_iat) ck_assert_int_eq(jwt_add_grant_int(jwt, "iat", g->iat), 0);
  if (g->has_exp) ck_assert_int_eq(jwt_add_grant_int(jwt, "exp", g->exp), 0);
  ck_assert_int_eq(jwt_set_alg(jwt, alg, (const unsigned char *)key, key ? (int)strlen(key) : 0),
                   0);
  char *out = jwt_encode_str(jwt);
  ck_assert_ptr_nonnull(out);
  jwt_free(jwt);
  return out;
}

static char *hs256(const struct grants *g, const char *key) {
  return make_token(g, JWT_ALG_HS256, key);
}

static enum tp_token_result verify(const char *token) {
  return tp_token_verify(token, "gm0855-portaal", SECRET, NOW, MAX_AGE);
}

START_TEST(mint_round_trip) {
  char *token = tp_token_mint("gm0855-portaal", SECRET, NOW, 600);
  ck_assert_ptr_nonnull(token);
  /* Three base64url parts. */
  ck_assert_ptr_nonnull(strchr(token, '.'));
  ck_assert_ptr_nonnull(strchr(strchr(token, '.') + 1, '.'));
  char id[TP_CLIENT_ID_MAX + 1];
  ck_assert_int_eq(tp_token_client(token, id), TP_TOKEN_OK);
  ck_assert_str_eq(id, "gm0855-portaal");
  ck_assert_int_eq(verify(token), TP_TOKEN_OK);
  /* Valid for its whole life, and not a second longer. */
  ck_assert_int_eq(tp_token_verify(token, "gm0855-portaal", SECRET, NOW + 599, MAX_AGE), TP_TOKEN_OK);
  ck_assert_int_eq(tp_token_verify(token, "gm0855-portaal", SECRET, NOW + 600, MAX_AGE),
                   TP_TOKEN_EXPIRED);

  /* The claims are exactly client_id, iat and exp, signed HS256. */
  jwt_t *jwt = NULL;
  ck_assert_int_eq(jwt_decode(&jwt, token, (const unsigned char *)SECRET, (int)strlen(SECRET)), 0);
  ck_assert_int_eq(jwt_get_alg(jwt), JWT_ALG_HS256);
  ck_assert_str_eq(jwt_get_grant(jwt, "client_id"), "gm0855-portaal");
  ck_assert_int_eq(jwt_get_grant_int(jwt, "iat"), (long)NOW);
  ck_assert_int_eq(jwt_get_grant_int(jwt, "exp"), (long)NOW + 600);
  jwt_free(jwt);
  free(token);
}
END_TEST

START_TEST(mint_and_libjwt_agree) {
  /* A token made by another HS256 implementation (libjwt directly) verifies. */
  struct grants g = {"gm0855-portaal", 1, 1, (long)NOW - 10, (long)NOW + 300};
  char *token = hs256(&g, SECRET);
  ck_assert_int_eq(verify(token), TP_TOKEN_OK);
  free(token);
}
END_TEST

START_TEST(wrong_secret_is_bad_signature) {
  char *token = tp_token_mint("gm0855-portaal", OTHER_SECRET, NOW, 600);
  ck_assert_ptr_nonnull(token);
  /* The client id can still be read (to look up the secret)... */
  char id[TP_CLIENT_ID_MAX + 1];
  ck_assert_int_eq(tp_token_client(token, id), TP_TOKEN_OK);
  /* ...but the signature does not verify with the client's secret. */
  ck_assert_int_eq(verify(token), TP_TOKEN_BAD_SIGNATURE);
  free(token);
}
END_TEST

START_TEST(tampered_payload_is_bad_signature) {
  char *mine = tp_token_mint("gm0855-portaal", SECRET, NOW, 600);
  char *theirs = tp_token_mint("gm0363-portaal", SECRET, NOW, 600);
  /* Header and signature of one, payload of the other. */
  char *a1 = strchr(mine, '.'), *a2 = strchr(a1 + 1, '.');
  char *b1 = strchr(theirs, '.'), *b2 = strchr(b1 + 1, '.');
  char forged[2048];
  snprintf(forged, sizeof(forged), "%.*s%.*s%s", (int)(a1 - mine), mine, (int)(b2 - b1), b1, a2);
  ck_assert_int_eq(tp_token_verify(forged, "gm0363-portaal", SECRET, NOW, MAX_AGE),
                   TP_TOKEN_BAD_SIGNATURE);
  /* A flipped character in the signature. */
  size_t n = strlen(mine);
  mine[n - 2] = mine[n - 2] == 'A' ? 'B' : 'A';
  ck_assert_int_eq(verify(mine), TP_TOKEN_BAD_SIGNATURE);
  free(mine);
  free(theirs);
}
END_TEST

START_TEST(expired_token) {
  char *token = tp_token_mint("gm0855-portaal", SECRET, NOW - 7200, 3600);
  ck_assert_int_eq(verify(token), TP_TOKEN_EXPIRED);
  free(token);
  /* exp == now is expired already. */
  token = tp_token_mint("gm0855-portaal", SECRET, NOW - 600, 600);
  ck_assert_int_eq(verify(token), TP_TOKEN_EXPIRED);
  free(token);
  token = tp_token_mint("gm0855-portaal", SECRET, NOW - 600, 601);
  ck_assert_int_eq(verify(token), TP_TOKEN_OK);
  free(token);
}
END_TEST

START_TEST(iat_in_the_future) {
  /* 60 s of clock skew is tolerated, more is not. */
  char *token = tp_token_mint("gm0855-portaal", SECRET, NOW + 60, 600);
  ck_assert_int_eq(verify(token), TP_TOKEN_OK);
  free(token);
  token = tp_token_mint("gm0855-portaal", SECRET, NOW + 61, 600);
  ck_assert_int_eq(verify(token), TP_TOKEN_BAD_TIMES);
  free(token);
  token = tp_token_mint("gm0855-portaal", SECRET, NOW + 86400, 600);
  ck_assert_int_eq(verify(token), TP_TOKEN_BAD_TIMES);
  free(token);
}
END_TEST

START_TEST(lifetime_over_max_age) {
  char *token = tp_token_mint("gm0855-portaal", SECRET, NOW, MAX_AGE);
  ck_assert_int_eq(verify(token), TP_TOKEN_OK);
  free(token);
  token = tp_token_mint("gm0855-portaal", SECRET, NOW, MAX_AGE + 1);
  ck_assert_int_eq(verify(token), TP_TOKEN_BAD_TIMES);
  free(token);
  token = tp_token_mint("gm0855-portaal", SECRET, NOW, 10L * 365 * 86400);
  ck_assert_int_eq(verify(token), TP_TOKEN_BAD_TIMES);
  free(token);
  /* The limit is the caller's. */
  token = tp_token_mint("gm0855-portaal", SECRET, NOW, 60);
  ck_assert_int_eq(tp_token_verify(token, "gm0855-portaal", SECRET, NOW, 59), TP_TOKEN_BAD_TIMES);
  ck_assert_int_eq(tp_token_verify(token, "gm0855-portaal", SECRET, NOW, 60), TP_TOKEN_OK);
  free(token);
}
END_TEST

START_TEST(missing_or_inverted_times) {
  struct grants cases[] = {
      {"gm0855-portaal", 0, 1, 0, (long)NOW + 60},              /* no iat */
      {"gm0855-portaal", 1, 0, (long)NOW, 0},                   /* no exp */
      {"gm0855-portaal", 0, 0, 0, 0},                           /* neither */
      {"gm0855-portaal", 1, 1, (long)NOW, (long)NOW},           /* exp == iat */
      {"gm0855-portaal", 1, 1, (long)NOW, (long)NOW - 1},       /* exp before iat */
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    char *token = hs256(&cases[i], SECRET);
    ck_assert_msg(verify(token) == TP_TOKEN_BAD_TIMES, "case %zu gave %d", i, verify(token));
    free(token);
  }
}
END_TEST

START_TEST(times_that_are_not_integers) {
  /* "iat": "1800000000" (a string) and "exp": 1800000600.5 (a real). */
  jwt_t *jwt = NULL;
  ck_assert_int_eq(jwt_new(&jwt), 0);
  ck_assert_int_eq(jwt_add_grants_json(jwt, "{\"client_id\":\"gm0855-portaal\","
                                            "\"iat\":\"1800000000\",\"exp\":1800000600.5}"),
                   0);
  ck_assert_int_eq(
      jwt_set_alg(jwt, JWT_ALG_HS256, (const unsigned char *)SECRET, (int)strlen(SECRET)), 0);
  char *token = jwt_encode_str(jwt);
  jwt_free(jwt);
  ck_assert_int_eq(verify(token), TP_TOKEN_BAD_TIMES);
  free(token);
}
END_TEST

START_TEST(lifetime_check_does_not_overflow) {
  /* A far-past iat must not wrap exp - iat around to a small number: a
   * token with iat = LONG_MIN lives for ~2^63 s and is far over max_age.
   * (Needs the secret to make, but then it would never expire.) */
  struct grants g = {"gm0855-portaal", 1, 1, LONG_MIN, (long)NOW + 600};
  char *token = hs256(&g, SECRET);
  ck_assert_int_eq(verify(token), TP_TOKEN_BAD_TIMES);
  free(token);
  struct grants forever = {"gm0855-portaal", 1, 1, LONG_MIN, LONG_MAX};
  token = hs256(&forever, SECRET);
  ck_assert_int_eq(verify(token), TP_TOKEN_BAD_TIMES);
  free(token);
}
END_TEST

START_TEST(alg_none_is_rejected) {
  struct grants g = {"gm0855-portaal", 1, 1, (long)NOW, (long)NOW + 600};
  char *token = make_token(&g, JWT_ALG_NONE, NULL);
  /* An unsigned token: header.payload. (empty signature). */
  ck_assert_int_eq(token[strlen(token) - 1], '.');
  ck_assert_int_ne(verify(token), TP_TOKEN_OK);
  free(token);

  /* The same, hand-written with a lower-case "none" and a signature of a
   * real token glued on. */
  const char *header = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0"; /* {"alg":"none","typ":"JWT"} */
  char *real = tp_token_mint("gm0855-portaal", SECRET, NOW, 600);
  char *dot1 = strchr(real, '.');
  char forged[2048];
  snprintf(forged, sizeof(forged), "%s%s", header, dot1);
  ck_assert_int_ne(verify(forged), TP_TOKEN_OK);
  char *dot2 = strchr(dot1 + 1, '.');
  snprintf(forged, sizeof(forged), "%s%.*s.", header, (int)(dot2 - dot1), dot1);
  ck_assert_int_ne(verify(forged), TP_TOKEN_OK);
  free(real);
}
END_TEST

START_TEST(other_algorithms_are_rejected) {
  /* Signed correctly with the client's secret, but not HS256. */
  struct grants g = {"gm0855-portaal", 1, 1, (long)NOW, (long)NOW + 600};
  jwt_alg_t algs[] = {JWT_ALG_HS384, JWT_ALG_HS512};
  for (size_t i = 0; i < 2; i++) {
    char *token = make_token(&g, algs[i], SECRET);
    ck_assert_int_eq(verify(token), TP_TOKEN_BAD_SIGNATURE);
    free(token);
  }
}
END_TEST

START_TEST(garbage_is_malformed) {
  const char *garbage[] = {"",
                           "abc",
                           "a.b.c",
                           "....",
                           "eyJhbGciOiJIUzI1NiJ9",
                           "eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln",
                           "not a token at all",
                           "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.x",
                           /* Empty header or payload segments: libjwt 1.10 would write
                            * past a zero-byte buffer (valgrind saw it); refused first. */
                           ".x.y",
                           "e30..x",
                           "../../etc/passwd",
                           "eyJhbGciOiJIUzI1NiJ9.e30.x.y"};
  for (size_t i = 0; i < sizeof(garbage) / sizeof(garbage[0]); i++) {
    char id[TP_CLIENT_ID_MAX + 1];
    ck_assert_msg(tp_token_client(garbage[i], id) == TP_TOKEN_MALFORMED, "\"%s\" was accepted",
                  garbage[i]);
    ck_assert_int_ne(verify(garbage[i]), TP_TOKEN_OK);
  }
  char id[TP_CLIENT_ID_MAX + 1];
  ck_assert_int_eq(tp_token_client(NULL, id), TP_TOKEN_MALFORMED);
  /* More than 4 KiB is refused without parsing. */
  char *huge = malloc(5000);
  memset(huge, 'a', 4999);
  huge[4999] = '\0';
  ck_assert_int_eq(tp_token_client(huge, id), TP_TOKEN_MALFORMED);
  free(huge);
}
END_TEST

START_TEST(missing_or_bad_client_id) {
  char id[TP_CLIENT_ID_MAX + 1];
  struct grants none = {NULL, 1, 1, (long)NOW, (long)NOW + 600};
  char *token = hs256(&none, SECRET);
  ck_assert_int_eq(tp_token_client(token, id), TP_TOKEN_MALFORMED);
  ck_assert_int_eq(verify(token), TP_TOKEN_MALFORMED);
  free(token);

  /* Another client's id: the signature is fine but the id is not the one
   * the secret was looked up for. */
  struct grants other = {"gm0363-portaal", 1, 1, (long)NOW, (long)NOW + 600};
  token = hs256(&other, SECRET);
  ck_assert_int_eq(verify(token), TP_TOKEN_MALFORMED);
  free(token);

  const char *bad_ids[] = {"", "met spatie", "gm0855/portaal", "x'; DROP TABLE clients; --",
                           "gm0855\xc3\xa9",
                           "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" /* 65 */};
  for (size_t i = 0; i < sizeof(bad_ids) / sizeof(bad_ids[0]); i++) {
    struct grants g = {bad_ids[i], 1, 1, (long)NOW, (long)NOW + 600};
    token = hs256(&g, SECRET);
    ck_assert_msg(tp_token_client(token, id) == TP_TOKEN_MALFORMED, "id \"%s\" was accepted",
                  bad_ids[i]);
    free(token);
  }
  /* 64 characters is the longest id. */
  char longest[TP_CLIENT_ID_MAX + 1];
  memset(longest, 'a', TP_CLIENT_ID_MAX);
  longest[TP_CLIENT_ID_MAX] = '\0';
  struct grants g = {longest, 1, 1, (long)NOW, (long)NOW + 600};
  token = hs256(&g, SECRET);
  ck_assert_int_eq(tp_token_client(token, id), TP_TOKEN_OK);
  ck_assert_str_eq(id, longest);
  free(token);

  /* client_id as a number is not an id. */
  jwt_t *jwt = NULL;
  ck_assert_int_eq(jwt_new(&jwt), 0);
  ck_assert_int_eq(jwt_add_grants_json(jwt, "{\"client_id\":855,\"iat\":1800000000,"
                                            "\"exp\":1800000600}"),
                   0);
  ck_assert_int_eq(
      jwt_set_alg(jwt, JWT_ALG_HS256, (const unsigned char *)SECRET, (int)strlen(SECRET)), 0);
  token = jwt_encode_str(jwt);
  jwt_free(jwt);
  ck_assert_int_eq(tp_token_client(token, id), TP_TOKEN_MALFORMED);
  free(token);
}
END_TEST

START_TEST(every_result_has_a_reason) {
  enum tp_token_result all[] = {TP_TOKEN_OK, TP_TOKEN_MALFORMED, TP_TOKEN_BAD_SIGNATURE,
                                TP_TOKEN_EXPIRED, TP_TOKEN_BAD_TIMES};
  for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
    const char *r = tp_token_reason(all[i]);
    ck_assert_ptr_nonnull(r);
    ck_assert_int_gt(strlen(r), 5);
    for (size_t j = 0; j < i; j++) ck_assert_str_ne(r, tp_token_reason(all[j]));
  }
  ck_assert_ptr_nonnull(strstr(tp_token_reason(TP_TOKEN_EXPIRED), "verlopen"));
}
END_TEST

int main(void) {
  Suite *s = suite_create("token");
  TCase *tc = tcase_create("token");
  tcase_add_test(tc, mint_round_trip);
  tcase_add_test(tc, mint_and_libjwt_agree);
  tcase_add_test(tc, wrong_secret_is_bad_signature);
  tcase_add_test(tc, tampered_payload_is_bad_signature);
  tcase_add_test(tc, expired_token);
  tcase_add_test(tc, iat_in_the_future);
  tcase_add_test(tc, lifetime_over_max_age);
  tcase_add_test(tc, missing_or_inverted_times);
  tcase_add_test(tc, times_that_are_not_integers);
  tcase_add_test(tc, lifetime_check_does_not_overflow);
  tcase_add_test(tc, alg_none_is_rejected);
  tcase_add_test(tc, other_algorithms_are_rejected);
  tcase_add_test(tc, garbage_is_malformed);
  tcase_add_test(tc, missing_or_bad_client_id);
  tcase_add_test(tc, every_result_has_a_reason);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}

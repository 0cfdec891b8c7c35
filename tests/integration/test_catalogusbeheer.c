/* Catalogue management: PUT/DELETE of roles, competencies, families and
 * success factors with scope catalogus.beheren and preconditions, what a
 * change moves (version, ETag, analysis, the replica), create and delete of
 * each kind, a role in use, and concurrent writers.
 *
 * These tests change the catalogue, so they run on a database of their own
 * (tests/integration/fixture_catalogusbeheer.c): other tests keep seeing the
 * seeded catalogue. */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixture_catalogusbeheer.h"

/* --- access and preconditions ------------------------------------------------------- */

START_TEST(writes_need_a_token_with_catalogus_beheren) {
  static const char *const paths[] = {"/api/v1/rollen/verbinder", "/api/v1/competenties/x",
                                      "/api/v1/rolfamilies/x", "/api/v1/succesfactoren/x"};
  char *before = catalogue_state();
  for (size_t i = 0; i < 4; i++) {
    ck_assert_int_eq(status_of("PUT", paths[i], -1, "\"x\"", NULL, "{}"), 401);
    ck_assert_int_eq(status_of("DELETE", paths[i], -1, "\"x\"", NULL, NULL), 401);
    /* Every other scope, all municipalities: still not the catalogue. */
    ck_assert_int_eq(status_of("PUT", paths[i], LEZER, "\"x\"", NULL, "{}"), 403);
    ck_assert_int_eq(status_of("DELETE", paths[i], SCHRIJVER, "\"x\"", NULL, NULL), 403);
  }
  char *after = catalogue_state();
  ck_assert_str_eq(before, after);
  free(before);
  free(after);
}
END_TEST

START_TEST(writes_need_a_current_precondition) {
  char code[128], etag[64], path[256];
  json_t *rol = first_role(code, etag);
  snprintf(path, sizeof(path), "/api/v1/rollen/%s", code);
  char *body = it_dump(rol);
  char *before = catalogue_state();
  ck_assert_int_eq(status_of("PUT", path, BEHEER, NULL, NULL, body), 428);
  ck_assert_int_eq(status_of("DELETE", path, BEHEER, NULL, NULL, NULL), 428);
  ck_assert_int_eq(status_of("PUT", path, BEHEER, "\"0123456789abcdef0123456789abcdef\"", NULL,
                             body), 412);
  ck_assert_int_eq(status_of("DELETE", path, BEHEER, "\"0123456789abcdef0123456789abcdef\"",
                             NULL, NULL), 412);
  /* A weak tag never matches If-Match. */
  char weak[80];
  snprintf(weak, sizeof(weak), "W/%s", etag);
  ck_assert_int_eq(status_of("PUT", path, BEHEER, weak, NULL, body), 412);
  /* Creating what exists, and changing what does not. */
  ck_assert_int_eq(status_of("PUT", path, BEHEER, NULL, "*", body), 412);
  json_t *other = json_deep_copy(rol);
  json_object_del(other, "code");
  char *other_body = it_dump(other);
  ck_assert_int_eq(status_of("PUT", "/api/v1/rollen/bestaat-niet", BEHEER, etag, NULL, other_body),
                   404);
  free(other_body);
  json_decref(other);
  ck_assert_int_eq(status_of("DELETE", "/api/v1/rollen/bestaat-niet", BEHEER, etag, NULL, NULL),
                   404);
  char *after = catalogue_state();
  ck_assert_str_eq(before, after);
  /* The current tag, also in a list, is accepted. */
  char list[160];
  snprintf(list, sizeof(list), "\"00000000000000000000000000000000\", %s", etag);
  ck_assert_int_eq(status_of("PUT", path, BEHEER, list, NULL, body), 200);
  free(before);
  free(after);
  free(body);
  json_decref(rol);
}
END_TEST

/* If-Match and If-None-Match as RFC 9110 reads them: "*" only as the whole
 * value; a malformed field matches nothing, so a write with one in If-Match
 * is 412 and one in If-None-Match creates nothing. */
START_TEST(malformed_preconditions_change_nothing) {
  char code[128], etag[64], path[256];
  json_t *rol = first_role(code, etag);
  snprintf(path, sizeof(path), "/api/v1/rollen/%s", code);
  json_t *changed = json_deep_copy(rol);
  json_object_set_new(changed, "omschrijving", json_string("Overschreven zonder geldige ETag."));
  char *body = it_dump(changed);
  char *before = catalogue_state();
  char with_tag[160];
  snprintf(with_tag, sizeof(with_tag), "%s, *junk", etag);
  const char *malformed[] = {"*\"stale\"", "\"stale\", *junk", with_tag, "*, *", "stale"};
  for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
    ck_assert_msg(status_of("PUT", path, BEHEER, malformed[i], NULL, body) == 412,
                  "PUT with If-Match: %s", malformed[i]);
    ck_assert_msg(status_of("DELETE", path, BEHEER, malformed[i], NULL, NULL) == 412,
                  "DELETE with If-Match: %s", malformed[i]);
  }
  /* Only "*" itself creates: anything else in If-None-Match is no precondition. */
  json_t *fresh = json_deep_copy(rol);
  json_object_del(fresh, "code");
  char *fresh_body = it_dump(fresh);
  const char *not_star[] = {"*junk", "*\"stale\"", "\"stale\", *", "W/*"};
  for (size_t i = 0; i < sizeof(not_star) / sizeof(not_star[0]); i++) {
    ck_assert_msg(status_of("PUT", "/api/v1/rollen/nieuw-door-ruis", BEHEER, NULL, not_star[i],
                            fresh_body) == 428,
                  "PUT with If-None-Match: %s", not_star[i]);
  }
  char *after = catalogue_state();
  ck_assert_str_eq(before, after);
  json_t *now = get_doc(&srv, path, NULL);
  ck_assert(json_equal(now, rol));
  json_decref(now);
  /* A GET with a malformed If-None-Match that holds the tag: the full 200. */
  struct it_response r;
  req("GET", path, -1, NULL, with_tag, NULL, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_uint_gt(r.body_len, 0);
  it_response_free(&r);
  free(fresh_body);
  json_decref(fresh);
  free(before);
  free(after);
  free(body);
  json_decref(changed);
  json_decref(rol);
}
END_TEST

/* --- a change and what follows it ------------------------------------------------------ */

/* A one-member team in the role `code`, without competencies. */
static char *team_in_role(const char *code) {
  json_t *team = json_pack("{s:i, s:[{s:s, s:f, s:[{s:s, s:f}]}]}", "inwoners", 40000, "leden",
                           "label", "lid", "fte", 1.0, "rollen", "rol", code, "aandeel", 1.0);
  char *text = it_dump(team);
  json_decref(team);
  return text;
}

static json_t *analyse(const char *team) {
  struct it_response r;
  req("POST", "/api/v1/gap-analyses", -1, NULL, NULL, team, &r);
  ck_assert_msg(r.status == 200, "gap analysis gave %ld: %s", r.status, r.body);
  json_t *doc = json_incref(r.json);
  it_response_free(&r);
  return doc;
}

/* The required level the analysis states for competency `comp` of role `rol`. */
static long required_level(const json_t *analysis, const char *rol, const char *comp) {
  size_t i;
  json_t *g;
  json_array_foreach(json_object_get(analysis, "competentieTekorten"), i, g) {
    if (strcmp(it_str(g, "rol"), rol) == 0 && strcmp(it_str(g, "competentie"), comp) == 0) {
      return (long)json_integer_value(json_object_get(g, "vereist"));
    }
  }
  return -1;
}

START_TEST(a_change_moves_version_etag_analysis_and_the_replica) {
  char code[128], etag[64], path[256], list_etag[64];
  json_t *rol = first_role(code, etag);
  snprintf(path, sizeof(path), "/api/v1/rollen/%s", code);
  json_t *rollen = get_doc(&srv, "/api/v1/rollen", list_etag);
  char *v0 = current_version(&srv);
  char *team = team_in_role(code);
  json_t *a0 = analyse(team);
  ck_assert_str_eq(it_str(a0, "catalogusVersie"), v0);

  /* Raise the first competency of the role to another level. */
  json_t *comp = json_array_get(json_object_get(rol, "competenties"), 0);
  const char *comp_code = it_str(comp, "code");
  long old_level = (long)json_integer_value(json_object_get(comp, "niveau"));
  long new_level = old_level == 4 ? 1 : old_level + 1;
  ck_assert_int_eq(required_level(a0, code, comp_code), old_level);
  json_t *changed = json_deep_copy(rol);
  json_object_set_new(json_array_get(json_object_get(changed, "competenties"), 0), "niveau",
                      json_integer(new_level));
  char *body = it_dump(changed);
  struct it_response r;
  req_extra(&srv, "PUT", path, BEHEER, etag, NULL,
            "X-Audit-Toelichting: niveau bijgesteld na overleg", body, &r);
  ck_assert_msg(r.status == 200, "PUT gave %ld: %s", r.status, r.body);
  double committed = it_now_s();
  /* The answer is the stored document with its new tag. */
  char new_etag[64];
  snprintf(new_etag, sizeof(new_etag), "%s", it_header(&r, "ETag"));
  ck_assert_str_ne(new_etag, etag);
  ck_assert_int_eq(json_integer_value(json_object_get(
                       json_array_get(json_object_get(r.json, "competenties"), 0), "niveau")),
                   new_level);
  it_response_free(&r);

  /* This replica: new version, new tags, new analysis, at once. */
  char *v1 = current_version(&srv);
  ck_assert_str_ne(v1, v0);
  char now_etag[64], now_list_etag[64];
  json_t *after = get_doc(&srv, path, now_etag);
  ck_assert_str_eq(now_etag, new_etag);
  json_t *rollen_after = get_doc(&srv, "/api/v1/rollen", now_list_etag);
  ck_assert_str_ne(now_list_etag, list_etag);
  json_t *a1 = analyse(team);
  ck_assert_str_eq(it_str(a1, "catalogusVersie"), v1);
  ck_assert_int_eq(required_level(a1, code, comp_code), new_level);

  /* The other replica follows within a second. */
  double limit = it_valgrind() ? 20.0 : 1.0, waited;
  char *seen = NULL;
  do {
    free(seen);
    seen = current_version(&replica);
    waited = it_now_s() - committed;
    if (strcmp(seen, v1) == 0) break;
    usleep(20000);
  } while (waited < limit + 5.0);
  ck_assert_str_eq(seen, v1);
  ck_assert_msg(waited <= limit, "the replica took %.3f s", waited);
  char replica_etag[64];
  json_t *on_replica = get_doc(&replica, path, replica_etag);
  ck_assert_str_eq(replica_etag, new_etag);

  /* The version says who, when and what; its trail holds before and after. */
  char vpath[256];
  snprintf(vpath, sizeof(vpath), "/api/v1/catalogusversies/%s", v1);
  json_t *version = get_doc(&srv, vpath, NULL);
  ck_assert_str_eq(it_str(version, "clientId"), clients[BEHEER].id);
  ck_assert_str_eq(it_str(version, "bron"), "api");
  ck_assert_str_eq(it_str(version, "toelichting"), "niveau bijgesteld na overleg");
  ck_assert(json_is_true(json_object_get(version, "huidig")));
  ck_assert_ptr_nonnull(strstr(it_str(version, "samenvatting"), code));
  ck_assert_int_eq(
      json_integer_value(json_object_get(json_object_get(version, "aantallen"), "gewijzigd")), 1);
  snprintf(vpath, sizeof(vpath), "/api/v1/catalogusversies/%s/wijzigingen", v1);
  json_t *trail = get_doc(&srv, vpath, NULL);
  ck_assert_int_eq(json_integer_value(json_object_get(trail, "count")), 1);
  json_t *w = json_array_get(json_object_get(trail, "results"), 0);
  ck_assert_str_eq(it_str(w, "soort"), "rol");
  ck_assert_str_eq(it_str(w, "code"), code);
  ck_assert_str_eq(it_str(w, "actie"), "update");
  ck_assert(json_equal(json_object_get(w, "oud"), rol));
  ck_assert(json_equal(json_object_get(w, "nieuw"), after));
  json_t *versions = get_doc(&srv, "/api/v1/catalogusversies", NULL);
  ck_assert_str_eq(it_str(json_array_get(json_object_get(versions, "results"), 0), "versie"), v1);

  /* Putting the old content back is one more version, and the old tags
   * come back with the old content. */
  put_ok(path, rol, new_etag);
  char *v2 = current_version(&srv);
  ck_assert_str_ne(v2, v1);
  char back_etag[64], back_list_etag[64];
  json_decref(get_doc(&srv, path, back_etag));
  json_decref(get_doc(&srv, "/api/v1/rollen", back_list_etag));
  ck_assert_str_eq(back_etag, etag);
  ck_assert_str_eq(back_list_etag, list_etag);

  free(v0);
  free(v1);
  free(v2);
  free(seen);
  free(team);
  free(body);
  json_decref(rol);
  json_decref(rollen);
  json_decref(rollen_after);
  json_decref(changed);
  json_decref(after);
  json_decref(a0);
  json_decref(a1);
  json_decref(on_replica);
  json_decref(version);
  json_decref(trail);
  json_decref(versions);
}
END_TEST

START_TEST(the_same_content_makes_no_version) {
  char code[128], etag[64], path[256];
  json_t *rol = first_role(code, etag);
  snprintf(path, sizeof(path), "/api/v1/rollen/%s", code);
  long n = versions_count();
  /* Without the code and with a read-only competency name changed: the
   * same role. */
  json_t *same = json_deep_copy(rol);
  json_object_del(same, "code");
  json_object_set_new(json_array_get(json_object_get(same, "competenties"), 0), "naam",
                      json_string("genegeerd"));
  put_ok(path, same, etag);
  ck_assert_int_eq(versions_count(), n);
  char etag2[64];
  json_t *again = get_doc(&srv, path, etag2);
  ck_assert(json_equal(again, rol));
  ck_assert_str_eq(etag2, etag);
  json_decref(again);
  json_decref(same);
  json_decref(rol);
}
END_TEST

START_TEST(bad_bodies_name_every_field_and_change_nothing) {
  char code[128], etag[64], path[256];
  json_t *rol = first_role(code, etag);
  snprintf(path, sizeof(path), "/api/v1/rollen/%s", code);
  char *before = catalogue_state();
  struct it_response r;
  req("PUT", path, BEHEER, etag, NULL,
      "{\"code\":\"andere-code\",\"naam\":\"\",\"familie\":\"bestaat-niet\",\"kernrol\":\"ja\","
      "\"herkomst\":\"geruchten\",\"bronnen\":[\"GEEN\"],\"synoniemen\":[\"a\",\"a\"],"
      "\"taken\":[1],\"competenties\":[{\"code\":\"nope\",\"niveau\":9},{\"code\":\"nope\","
      "\"niveau\":2,\"essentieel\":true}],\"richtFteMinimum\":2,\"extra\":true}",
      &r);
  ck_assert_int_eq(r.status, 400);
  it_assert_problem(&r, 400);
  ck_assert(it_invalid_has(&r, "code", "mismatch"));
  ck_assert(it_invalid_has(&r, "naam", "invalid-length"));
  ck_assert(it_invalid_has(&r, "omschrijving", "required"));
  ck_assert(it_invalid_has(&r, "familie", "unknown-code"));
  ck_assert(it_invalid_has(&r, "kernrol", "invalid-type"));
  ck_assert(it_invalid_has(&r, "herkomst", "invalid-choice"));
  ck_assert(it_invalid_has(&r, "bronnen.0", "unknown-code"));
  ck_assert(it_invalid_has(&r, "synoniemen.1", "duplicate"));
  ck_assert(it_invalid_has(&r, "taken.0", "invalid-type"));
  ck_assert(it_invalid_has(&r, "competenties.0.code", "unknown-code"));
  ck_assert(it_invalid_has(&r, "competenties.0.niveau", "out-of-range"));
  ck_assert(it_invalid_has(&r, "competenties.0.essentieel", "required"));
  ck_assert(it_invalid_has(&r, "richtFteMinimum", "out-of-range"));
  ck_assert(it_invalid_has(&r, "extra", "unknown-field"));
  it_response_free(&r);
  /* A kernrol names its source; a non-kernrol has none. */
  json_t *k = json_deep_copy(rol);
  json_object_set_new(k, "kernrol", json_true());
  json_object_set_new(k, "kernrolBron", json_null());
  char *kb = it_dump(k);
  req("PUT", path, BEHEER, etag, NULL, kb, &r);
  ck_assert_int_eq(r.status, 400);
  ck_assert(it_invalid_has(&r, "kernrolBron", "required"));
  it_response_free(&r);
  /* Wrong shapes, a wrong code in the path, not JSON, the wrong type. */
  ck_assert_int_eq(status_of("PUT", path, BEHEER, etag, NULL, "[]"), 400);
  ck_assert_int_eq(status_of("PUT", path, BEHEER, etag, NULL, "{\"naam\":"), 400);
  ck_assert_int_eq(status_of("PUT", "/api/v1/competenties/Geen_Code", BEHEER, NULL, "*",
                             "{\"naam\":\"x\",\"omschrijving\":\"y\",\"soort\":\"kennis\"}"),
                   400);
  ck_assert_int_eq(status_of("PUT", "/api/v1/competenties/nieuw?x=1", BEHEER, NULL, "*",
                             "{\"naam\":\"x\",\"omschrijving\":\"y\",\"soort\":\"kennis\"}"),
                   400);
  req_extra(&srv, "PUT", path, BEHEER, etag, NULL, "Content-Type: text/plain", "{}", &r);
  ck_assert_int_eq(r.status, 415);
  it_response_free(&r);
  char *after = catalogue_state();
  ck_assert_str_eq(before, after);
  free(before);
  free(after);
  free(kb);
  json_decref(k);
  json_decref(rol);
}
END_TEST

/* --- create and delete ----------------------------------------------------------------- */

START_TEST(create_and_delete_each_kind) {
  static const struct {
    const char *path, *body, *list;
  } kinds[] = {
      {"/api/v1/rolfamilies/it-familie", "{\"naam\":\"IT-familie\",\"omschrijving\":\"Test\"}",
       "/api/v1/rolfamilies"},
      {"/api/v1/competenties/it-competentie",
       "{\"code\":\"it-competentie\",\"naam\":\"IT\",\"omschrijving\":\"Test\",\"soort\":"
       "\"vaardigheid\"}",
       "/api/v1/competenties"},
      {"/api/v1/rollen/it-rol",
       "{\"naam\":\"IT-rol\",\"familie\":\"it-familie\",\"omschrijving\":\"Test\","
       "\"kernrol\":false,\"kernrolBron\":null,\"herkomst\":\"schatting\",\"taken\":[\"iets\"],"
       "\"competenties\":[{\"code\":\"it-competentie\",\"niveau\":3,\"essentieel\":true}],"
       "\"richtFteMinimum\":0.25}",
       "/api/v1/rollen"},
      {"/api/v1/succesfactoren/it-factor",
       "{\"naam\":\"IT-factor\",\"omschrijving\":\"Test\",\"herkomst\":\"afgeleid\","
       "\"voorbeeldgemeenten\":[\"GM0855\"]}",
       "/api/v1/succesfactoren"},
  };
  char etags[4][64];
  for (size_t i = 0; i < 4; i++) {
    json_t *list = get_doc(&srv, kinds[i].list, NULL);
    long count = (long)json_integer_value(json_object_get(list, "count"));
    long n = versions_count();
    struct it_response r;
    req("PUT", kinds[i].path, BEHEER, NULL, "*", kinds[i].body, &r);
    ck_assert_msg(r.status == 201, "PUT %s gave %ld: %s", kinds[i].path, r.status, r.body);
    ck_assert_str_eq(it_header(&r, "Location"), kinds[i].path);
    snprintf(etags[i], 64, "%s", it_header(&r, "ETag"));
    it_response_free(&r);
    ck_assert_int_eq(versions_count(), n + 1);
    char got[64];
    json_decref(get_doc(&srv, kinds[i].path, got));
    ck_assert_str_eq(got, etags[i]);
    json_t *list2 = get_doc(&srv, kinds[i].list, NULL);
    ck_assert_int_eq(json_integer_value(json_object_get(list2, "count")), count + 1);
    json_decref(list);
    json_decref(list2);
  }
  /* New entries come last, and link up. */
  json_t *fam = get_doc(&srv, "/api/v1/rolfamilies/it-familie", NULL);
  ck_assert_str_eq(json_string_value(json_array_get(json_object_get(fam, "rollen"), 0)), "it-rol");
  json_t *comp = get_doc(&srv, "/api/v1/competenties/it-competentie", NULL);
  ck_assert_str_eq(it_str(json_array_get(json_object_get(comp, "rollen"), 0), "rol"), "it-rol");

  /* In use: the family by the role, the competency by the role. */
  struct it_response r;
  char fam_etag[64], comp_etag[64];
  json_decref(get_doc(&srv, "/api/v1/rolfamilies/it-familie", fam_etag));
  json_decref(get_doc(&srv, "/api/v1/competenties/it-competentie", comp_etag));
  req("DELETE", "/api/v1/rolfamilies/it-familie", BEHEER, fam_etag, NULL, NULL, &r);
  ck_assert_int_eq(r.status, 409);
  it_assert_problem(&r, 409);
  ck_assert_ptr_nonnull(strstr(it_str(r.json, "detail"), "it-rol"));
  it_response_free(&r);
  req("DELETE", "/api/v1/competenties/it-competentie", BEHEER, comp_etag, NULL, NULL, &r);
  ck_assert_int_eq(r.status, 409);
  ck_assert_ptr_nonnull(strstr(it_str(r.json, "detail"), "it-rol"));
  it_response_free(&r);

  /* Role first, then what it used; each gone from the API. */
  static const int order[] = {2, 1, 0, 3};
  for (size_t k = 0; k < 4; k++) {
    size_t i = (size_t)order[k];
    char cur[64];
    json_decref(get_doc(&srv, kinds[i].path, cur));
    ck_assert_int_eq(status_of("DELETE", kinds[i].path, BEHEER, cur, NULL, NULL), 204);
    ck_assert_int_eq(status_of("GET", kinds[i].path, -1, NULL, NULL, NULL), 404);
  }
  /* Nothing refers to them, so they are gone from the tables too. */
  char *left = it_sql_value(own_url,
                            "SELECT (SELECT count(*) FROM rollen WHERE code = 'it-rol') +"
                            " (SELECT count(*) FROM competenties WHERE code = 'it-competentie') +"
                            " (SELECT count(*) FROM rolfamilies WHERE code = 'it-familie') +"
                            " (SELECT count(*) FROM succesfactoren WHERE code = 'it-factor')");
  ck_assert_str_eq(left, "0");
  free(left);
  json_decref(fam);
  json_decref(comp);
}
END_TEST

/* A stored profile of GM0772 with one member in role `rol`; its path. */
static void store_profile(const char *rol, char path[128]) {
  json_t *body = json_pack("{s:s, s:s, s:[{s:s, s:f, s:[{s:s, s:f}]}]}", "gemeente", "GM0772",
                           "peildatum", "2026-06-01", "leden", "label", "lid", "fte", 1.0,
                           "rollen", "rol", rol, "aandeel", 1.0);
  char *text = it_dump(body);
  struct it_response r;
  req("POST", "/api/v1/teamprofielen", SCHRIJVER, NULL, NULL, text, &r);
  ck_assert_msg(r.status == 201, "POST gave %ld: %s", r.status, r.body);
  snprintf(path, 128, "%s", it_header(&r, "Location"));
  it_response_free(&r);
  free(text);
  json_decref(body);
}

START_TEST(a_role_in_use_is_409_and_survives_in_profiles_when_imported_away) {
  /* The last role of the catalogue, used by a stored profile. */
  json_t *page = get_doc(&srv, "/api/v1/rollen?pageSize=100", NULL);
  json_t *results = json_object_get(page, "results");
  char code[128], rol_path[256], profile[128];
  snprintf(code, sizeof(code), "%s",
           it_str(json_array_get(results, json_array_size(results) - 1), "code"));
  snprintf(rol_path, sizeof(rol_path), "/api/v1/rollen/%s", code);
  store_profile(code, profile);
  char etag[64];
  json_t *rol = get_doc(&srv, rol_path, etag);
  struct it_response r;
  req("DELETE", rol_path, BEHEER, etag, NULL, NULL, &r);
  ck_assert_int_eq(r.status, 409);
  it_assert_problem(&r, 409);
  ck_assert_str_eq(it_str(r.json, "code"), "in-gebruik");
  ck_assert_ptr_nonnull(strstr(it_str(r.json, "detail"), "teamprofiel"));
  it_response_free(&r);

  /* A catalogue file without the role takes it out; the profile keeps it. */
  json_t *file = export_catalogue("it-zonder-rol");
  json_t *rollen = json_object_get(file, "rollen");
  json_array_remove(rollen, (size_t)index_of(rollen, "code", code));
  char *path = write_json("zonder-rol.json", file), *out = NULL;
  ck_assert_msg(run_import("catalogus", path, &out) == 0, "import failed: %s", out);
  ck_assert_ptr_nonnull(strstr(out, "it-zonder-rol"));
  free(out);
  await_version(&srv, "it-zonder-rol");
  ck_assert_int_eq(status_of("GET", rol_path, -1, NULL, NULL, NULL), 404);
  ck_assert_int_eq(status_of("DELETE", rol_path, BEHEER, etag, NULL, NULL), 404);
  json_t *page2 = get_doc(&srv, "/api/v1/rollen?pageSize=100", NULL);
  ck_assert_int_eq(json_integer_value(json_object_get(page2, "count")),
                   json_integer_value(json_object_get(page, "count")) - 1);
  char *vervallen = it_sql_value(own_url, "SELECT string_agg(code, ',') FROM rollen WHERE vervallen");
  ck_assert_str_eq(vervallen, code);
  free(vervallen);
  /* The stored profile is whole and its analysis names the role. */
  req("GET", profile, SCHRIJVER, NULL, NULL, NULL, &r);
  ck_assert_int_eq(r.status, 200);
  const json_t *lid = json_array_get(json_object_get(r.json, "leden"), 0);
  ck_assert_str_eq(it_str(json_array_get(json_object_get(lid, "rollen"), 0), "rol"), code);
  it_response_free(&r);
  char gap[192];
  snprintf(gap, sizeof(gap), "%s/gap-analyse", profile);
  req("GET", gap, SCHRIJVER, NULL, NULL, NULL, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_str_eq(it_str(r.json, "catalogusVersie"), "it-zonder-rol");
  ck_assert_str_eq(json_string_value(json_array_get(json_object_get(r.json, "onbekendeRollen"), 0)),
                   code);
  ck_assert_int_eq(index_of(json_object_get(r.json, "rollen"), "rol", code), -1);
  it_response_free(&r);
  /* A new profile cannot use it. */
  json_t *body = json_pack("{s:s, s:s, s:[{s:s, s:f, s:[{s:s, s:f}]}]}", "gemeente", "GM0772",
                           "peildatum", "2026-07-01", "leden", "label", "lid", "fte", 1.0,
                           "rollen", "rol", code, "aandeel", 1.0);
  char *text = it_dump(body);
  req("POST", "/api/v1/teamprofielen", SCHRIJVER, NULL, NULL, text, &r);
  ck_assert_int_eq(r.status, 400);
  ck_assert(it_invalid_has(&r, "leden.0.rollen.0.rol", "unknown-code"));
  it_response_free(&r);

  /* Importing it again brings it back as it was. */
  json_t *full = export_catalogue("it-met-rol");
  json_array_append(json_object_get(full, "rollen"), rol);
  char *path2 = write_json("met-rol.json", full);
  ck_assert_msg(run_import("catalogus", path2, &out) == 0, "import failed: %s", out);
  free(out);
  char etag2[64];
  json_t *back = get_doc(&srv, rol_path, etag2);
  ck_assert(json_equal(back, rol));
  ck_assert_str_eq(etag2, etag);

  /* The profile can go; then the role is free to be deleted. */
  char pet[64];
  req("GET", profile, SCHRIJVER, NULL, NULL, NULL, &r);
  snprintf(pet, sizeof(pet), "%s", it_header(&r, "ETag"));
  it_response_free(&r);
  ck_assert_int_eq(status_of("DELETE", profile, SCHRIJVER, pet, NULL, NULL), 204);
  free(path);
  free(path2);
  free(text);
  json_decref(body);
  json_decref(back);
  json_decref(full);
  json_decref(file);
  json_decref(page);
  json_decref(page2);
  json_decref(rol);
}
END_TEST

START_TEST(concurrent_writers_exactly_one_wins) {
  char code[128], etag[64], path[256];
  json_t *rol = first_role(code, etag);
  snprintf(path, sizeof(path), "/api/v1/rollen/%s", code);
  long n = versions_count();
  enum { WRITERS = 8 };
  pid_t pids[WRITERS];
  for (int i = 0; i < WRITERS; i++) {
    pids[i] = fork();
    ck_assert_int_ge(pids[i], 0);
    if (pids[i] == 0) {
      json_t *mine = json_deep_copy(rol);
      char naam[64];
      snprintf(naam, sizeof(naam), "Schrijver %d", i);
      json_object_set_new(mine, "naam", json_string(naam));
      char *body = json_dumps(mine, JSON_COMPACT);
      struct it_response r;
      char auth[4096], im[128];
      snprintf(auth, sizeof(auth), "Authorization: Bearer %s", clients[BEHEER].token);
      snprintf(im, sizeof(im), "If-Match: %s", etag);
      const char *h[] = {auth, im, "Content-Type: application/json", NULL};
      int rc = it_request(&srv, "PUT", path, h, body, strlen(body), &r);
      _exit(rc != 0 ? 1 : r.status == 200 ? 10 : r.status == 412 ? 11 : 12);
    }
  }
  int won = 0, lost = 0;
  for (int i = 0; i < WRITERS; i++) {
    int st;
    ck_assert_int_eq(waitpid(pids[i], &st, 0), pids[i]);
    ck_assert(WIFEXITED(st));
    won += WEXITSTATUS(st) == 10;
    lost += WEXITSTATUS(st) == 11;
  }
  ck_assert_int_eq(won, 1);
  ck_assert_int_eq(lost, WRITERS - 1);
  ck_assert_int_eq(versions_count(), n + 1);
  char now[64];
  json_t *cur = get_doc(&srv, path, now);
  put_ok(path, rol, now);
  json_decref(cur);
  json_decref(rol);
}
END_TEST

int main(void) {
  Suite *s = suite_create("catalogusbeheer");
  TCase *tc = it_case("catalogusbeheer", 120, setup, teardown);
  tcase_add_test(tc, writes_need_a_token_with_catalogus_beheren);
  tcase_add_test(tc, writes_need_a_current_precondition);
  tcase_add_test(tc, malformed_preconditions_change_nothing);
  tcase_add_test(tc, a_change_moves_version_etag_analysis_and_the_replica);
  tcase_add_test(tc, the_same_content_makes_no_version);
  tcase_add_test(tc, bad_bodies_name_every_field_and_change_nothing);
  tcase_add_test(tc, create_and_delete_each_kind);
  tcase_add_test(tc, a_role_in_use_is_409_and_survives_in_profiles_when_imported_away);
  tcase_add_test(tc, concurrent_writers_exactly_one_wins);
  suite_add_tcase(s, tc);
  return it_run_suite(s);
}

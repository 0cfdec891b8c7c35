/* The catalogue of roles, role families and competencies over real HTTP:
 * seed counts, every role's tasks and competencies, and both directions of
 * role and competency, against SQL on the seeded tables and, when it exists,
 * the data pack in ../shared/data that the seed is built from
 * (tests/integration/fixture_catalogus.c sets up the server). */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture_catalogus.h"

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted lines joined with '\n', for comparing sets. Takes the strings. */
static char *sorted_set(char **items, size_t n) {
  qsort(items, n, sizeof(char *), cmp_str);
  struct sbuf b = {0};
  sb_add(&b, "");
  for (size_t i = 0; i < n; i++) {
    if (i > 0) sb_add(&b, "\n");
    sb_add(&b, items[i]);
    free(items[i]);
  }
  return b.s;
}

/* --- seed counts and invariants ------------------------------------------ */

START_TEST(seed_counts_equal_the_tables) {
  static const struct {
    const char *path;
    const char *sql;
    long literal; /* from the data pack README; -1: none */
  } cases[] = {
      {"/api/v1/gemeenten", "SELECT count(*) FROM gemeenten", 355},
      {"/api/v1/gemeenten?referentie=true", "SELECT count(*) FROM gemeenten WHERE referentie", 7},
      {"/api/v1/gemeenten?referentie=false", "SELECT count(*) FROM gemeenten WHERE NOT referentie",
       348},
      {"/api/v1/teamprofielen?referentie=true",
       "SELECT count(*) FROM teamprofielen WHERE referentie", 7},
      {"/api/v1/succesverhalen", "SELECT count(*) FROM succesverhalen", 7},
      {"/api/v1/rolfamilies", "SELECT count(*) FROM rolfamilies", 6},
      {"/api/v1/rollen", "SELECT count(*) FROM rollen", 20},
      {"/api/v1/competenties", "SELECT count(*) FROM competenties", 39},
      {"/api/v1/succesfactoren", "SELECT count(*) FROM succesfactoren", -1},
      {"/api/v1/bronnen", "SELECT count(*) FROM bronnen", -1},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    json_t *page = get_json(cases[i].path, 200);
    long expected = it_sql_long("%s", cases[i].sql);
    ck_assert_msg(count_of(page) == expected, "%s: count %ld, SQL %ld", cases[i].path,
                  count_of(page), expected);
    if (cases[i].literal >= 0) ck_assert_int_eq(count_of(page), cases[i].literal);
    ck_assert_int_gt(count_of(page), 0);
    /* Without paging parameters a page holds at most 20. */
    long want = count_of(page) < 20 ? count_of(page) : 20;
    ck_assert_int_eq((long)json_array_size(results_of(page)), want);
    json_decref(page);
  }
}
END_TEST

START_TEST(every_role_has_tasks_and_competencies) {
  json_t *rollen = get_all("/api/v1/rollen");
  ck_assert_uint_eq(json_array_size(rollen), 20);
  size_t i;
  json_t *rol;
  json_array_foreach(rollen, i, rol) {
    const char *code = it_str(rol, "code");
    assert_code(code);
    json_t *taken = json_object_get(rol, "taken");
    json_t *comps = json_object_get(rol, "competenties");
    ck_assert_msg(json_array_size(taken) >= 3 && json_array_size(taken) <= 6, "%s has %zu tasks",
                  code, json_array_size(taken));
    ck_assert_msg(json_array_size(comps) >= 3 && json_array_size(comps) <= 6,
                  "%s has %zu competencies", code, json_array_size(comps));
    ck_assert_int_eq((long)json_array_size(taken),
                     it_sql_long("SELECT count(*) FROM rol_taken WHERE rol = '%s'", code));
    ck_assert_int_eq((long)json_array_size(comps),
                     it_sql_long("SELECT count(*) FROM rol_competenties WHERE rol = '%s'", code));
    /* 2-3 essential competencies, essentials first; levels 1-4. */
    size_t k, essentials = 0;
    json_t *c;
    int seen_optional = 0;
    json_array_foreach(comps, k, c) {
      json_int_t niveau = json_integer_value(json_object_get(c, "niveau"));
      ck_assert_msg(niveau >= 1 && niveau <= 4, "%s: level %lld", code, (long long)niveau);
      ck_assert(json_is_boolean(json_object_get(c, "essentieel")));
      ck_assert_ptr_nonnull(it_str(c, "naam"));
      if (json_is_true(json_object_get(c, "essentieel"))) {
        ck_assert_msg(!seen_optional, "%s: an essential competency after an optional one", code);
        essentials++;
      } else {
        seen_optional = 1;
      }
    }
    ck_assert_msg(essentials >= 2 && essentials <= 3, "%s has %zu essentials", code, essentials);
    ck_assert_ptr_nonnull(it_str(rol, "familie"));
    ck_assert_ptr_nonnull(it_str(rol, "omschrijving"));
    ck_assert_ptr_nonnull(it_str(rol, "herkomst"));
    ck_assert(json_is_boolean(json_object_get(rol, "kernrol")));
  }
  json_decref(rollen);

  /* Every competency is needed by at least one role. */
  json_t *comps = get_all("/api/v1/competenties");
  ck_assert_uint_eq(json_array_size(comps), 39);
  json_array_foreach(comps, i, rol) {
    ck_assert_msg(json_array_size(json_object_get(rol, "rollen")) > 0, "%s is needed by no role",
                  it_str(rol, "code"));
  }
  json_decref(comps);
}
END_TEST

/* --- roles and competencies against SQL and the data pack ---------------- */

START_TEST(role_competencies_and_tasks_equal_sql) {
  json_t *rollen = get_all("/api/v1/rollen");
  struct sbuf comps = {0}, taken = {0}, order = {0};
  size_t i, k;
  json_t *rol, *c;
  json_array_foreach(rollen, i, rol) {
    if (i > 0) {
      sb_add(&comps, ";");
      sb_add(&taken, ";");
      sb_add(&order, ",");
    }
    sb_add(&order, it_str(rol, "code"));
    sb_addf(&comps, "%s=", it_str(rol, "code"));
    json_array_foreach(json_object_get(rol, "competenties"), k, c) {
      sb_addf(&comps, "%s%s:%lld:%s", k ? "," : "", it_str(c, "code"),
              (long long)json_integer_value(json_object_get(c, "niveau")),
              json_is_true(json_object_get(c, "essentieel")) ? "true" : "false");
    }
    char *t = join(json_object_get(rol, "taken"), NULL, "|");
    sb_addf(&taken, "%s=%s", it_str(rol, "code"), t);
    free(t);
  }
  char *want_order = it_sqlf("SELECT string_agg(code, ',' ORDER BY volgorde) FROM rollen");
  char *want_comps = it_sqlf(
      "SELECT string_agg(r.code || '=' || (SELECT string_agg(rc.competentie || ':' || rc.niveau ||"
      " ':' || rc.essentieel, ',' ORDER BY rc.volgorde) FROM rol_competenties rc"
      " WHERE rc.rol = r.code), ';' ORDER BY r.volgorde) FROM rollen r");
  char *want_taken = it_sqlf(
      "SELECT string_agg(r.code || '=' || (SELECT string_agg(t.omschrijving, '|' ORDER BY"
      " t.volgorde) FROM rol_taken t WHERE t.rol = r.code), ';' ORDER BY r.volgorde)"
      " FROM rollen r");
  assert_text_eq(sb_str(&order), want_order);
  assert_text_eq(sb_str(&comps), want_comps);
  assert_text_eq(sb_str(&taken), want_taken);

  /* The detail of a role is the list item. */
  json_t *verbinder = get_json("/api/v1/rollen/verbinder", 200);
  ck_assert(json_equal(verbinder, find_by(rollen, "code", "verbinder")));
  json_decref(verbinder);

  free(want_order);
  free(want_comps);
  free(want_taken);
  free(comps.s);
  free(taken.s);
  free(order.s);
  json_decref(rollen);
}
END_TEST

START_TEST(competencies_list_the_roles_that_need_them) {
  json_t *comps = get_all("/api/v1/competenties");
  struct sbuf got = {0};
  size_t i, k;
  json_t *c, *r;
  json_array_foreach(comps, i, c) {
    sb_addf(&got, "%s%s=", i ? ";" : "", it_str(c, "code"));
    json_array_foreach(json_object_get(c, "rollen"), k, r) {
      sb_addf(&got, "%s%s:%lld:%s", k ? "," : "", it_str(r, "rol"),
              (long long)json_integer_value(json_object_get(r, "niveau")),
              json_is_true(json_object_get(r, "essentieel")) ? "true" : "false");
    }
  }
  char *want = it_sqlf(
      "SELECT string_agg(c.code || '=' || coalesce((SELECT string_agg(rc.rol || ':' || rc.niveau"
      " || ':' || rc.essentieel, ',' ORDER BY r.volgorde) FROM rol_competenties rc"
      " JOIN rollen r ON r.code = rc.rol WHERE rc.competentie = c.code), ''), ';'"
      " ORDER BY c.volgorde) FROM competenties c");
  assert_text_eq(sb_str(&got), want);
  free(want);
  free(got.s);

  /* Both directions tell the same story: (role, competency, level,
   * essential) from /rollen equals the same from /competenties. */
  json_t *rollen = get_all("/api/v1/rollen");
  char *from_roles[200], *from_comps[200];
  size_t nr = 0, nc = 0;
  json_array_foreach(rollen, i, r) {
    json_array_foreach(json_object_get(r, "competenties"), k, c) {
      ck_assert_uint_lt(nr, 200);
      char line[256];
      snprintf(line, sizeof(line), "%s %s %lld %d", it_str(r, "code"), it_str(c, "code"),
               (long long)json_integer_value(json_object_get(c, "niveau")),
               json_is_true(json_object_get(c, "essentieel")));
      from_roles[nr++] = strdup(line);
    }
  }
  json_array_foreach(comps, i, c) {
    json_array_foreach(json_object_get(c, "rollen"), k, r) {
      ck_assert_uint_lt(nc, 200);
      char line[256];
      snprintf(line, sizeof(line), "%s %s %lld %d", it_str(r, "rol"), it_str(c, "code"),
               (long long)json_integer_value(json_object_get(r, "niveau")),
               json_is_true(json_object_get(r, "essentieel")));
      from_comps[nc++] = strdup(line);
    }
  }
  ck_assert_uint_eq(nr, nc);
  char *a = sorted_set(from_roles, nr), *b = sorted_set(from_comps, nc);
  assert_text_eq(a, b);
  free(a);
  free(b);

  /* The detail of a competency is the list item. */
  json_t *one = get_json("/api/v1/competenties/bestuurlijke-sensitiviteit", 200);
  ck_assert(json_equal(one, find_by(comps, "code", "bestuurlijke-sensitiviteit")));
  ck_assert(in_array(json_object_get(one, "rollen"), "rol", "verbinder"));
  json_decref(one);
  json_decref(rollen);
  json_decref(comps);
}
END_TEST

START_TEST(catalogue_equals_the_data_pack) {
  json_t *pack = load_pack("catalogus.json");
  if (pack == NULL) return;
  json_t *prollen = json_object_get(pack, "rollen");
  json_t *pcomps = json_object_get(pack, "competenties");
  json_t *pfams = json_object_get(pack, "families");

  /* The catalogue version the root states. */
  json_t *root = get_json("/api/v1", 200);
  assert_text_eq(it_str(root, "catalogusVersie"), it_str(pack, "versie"));
  json_decref(root);

  /* Each role, by its detail URL, against the pack. */
  size_t i, k;
  json_t *prol, *pc;
  json_array_foreach(prollen, i, prol) {
    const char *code = it_str(prol, "code");
    assert_code(code);
    char path[256];
    snprintf(path, sizeof(path), "/api/v1/rollen/%s", code);
    json_t *rol = get_json(path, 200);
    static const char *const same[] = {"code",       "naam",        "familie",  "omschrijving",
                                       "kernrol",    "kernrolBron", "herkomst", "bronnen",
                                       "synoniemen", "taken"};
    for (size_t f = 0; f < sizeof(same) / sizeof(same[0]); f++) {
      ck_assert_msg(json_equal(json_object_get(rol, same[f]), json_object_get(prol, same[f])),
                    "role %s: %s differs from the data pack", code, same[f]);
    }
    ck_assert_msg(fabs(json_number_value(json_object_get(rol, "richtFteMinimum")) -
                       json_number_value(json_object_get(prol, "richtFteMinimum"))) < 1e-9,
                  "role %s: richtFteMinimum differs", code);
    json_t *comps = json_object_get(rol, "competenties");
    json_t *pcs = json_object_get(prol, "competenties");
    ck_assert_msg(json_array_size(comps) == json_array_size(pcs),
                  "role %s: %zu competencies, pack %zu", code, json_array_size(comps),
                  json_array_size(pcs));
    json_array_foreach(pcs, k, pc) {
      json_t *c = json_array_get(comps, k);
      ck_assert_msg(strcmp(it_str(c, "code"), it_str(pc, "code")) == 0,
                    "role %s competency %zu: %s, pack %s", code, k, it_str(c, "code"),
                    it_str(pc, "code"));
      ck_assert_int_eq(json_integer_value(json_object_get(c, "niveau")),
                       json_integer_value(json_object_get(pc, "niveau")));
      ck_assert(json_equal(json_object_get(c, "essentieel"), json_object_get(pc, "essentieel")));
    }
    json_decref(rol);
  }

  /* Competencies: same codes in the same order, and each lists exactly the
   * roles whose pack entry asks for it. */
  json_t *comps = get_all("/api/v1/competenties");
  ck_assert_uint_eq(json_array_size(comps), json_array_size(pcomps));
  json_array_foreach(pcomps, i, pc) {
    json_t *c = json_array_get(comps, i);
    assert_text_eq(it_str(c, "code"), it_str(pc, "code"));
    assert_text_eq(it_str(c, "naam"), it_str(pc, "naam"));
    assert_text_eq(it_str(c, "soort"), it_str(pc, "soort"));
    struct sbuf want = {0}, got = {0};
    sb_add(&want, "");
    sb_add(&got, "");
    size_t r;
    json_array_foreach(prollen, r, prol) {
      json_t *x;
      json_array_foreach(json_object_get(prol, "competenties"), k, x) {
        if (strcmp(it_str(x, "code"), it_str(pc, "code")) == 0) {
          sb_addf(&want, "%s:%lld:%d,", it_str(prol, "code"),
                  (long long)json_integer_value(json_object_get(x, "niveau")),
                  json_is_true(json_object_get(x, "essentieel")));
        }
      }
    }
    json_array_foreach(json_object_get(c, "rollen"), k, prol) {
      sb_addf(&got, "%s:%lld:%d,", it_str(prol, "rol"),
              (long long)json_integer_value(json_object_get(prol, "niveau")),
              json_is_true(json_object_get(prol, "essentieel")));
    }
    ck_assert_msg(strcmp(want.s, got.s) == 0, "competency %s: roles %s, pack %s",
                  it_str(pc, "code"), got.s, want.s);
    free(want.s);
    free(got.s);
  }
  json_decref(comps);

  /* Families in pack order, each with its roles in pack order. */
  json_t *fams = get_all("/api/v1/rolfamilies");
  ck_assert_uint_eq(json_array_size(fams), json_array_size(pfams));
  json_t *pf;
  json_array_foreach(pfams, i, pf) {
    json_t *f = json_array_get(fams, i);
    assert_text_eq(it_str(f, "code"), it_str(pf, "code"));
    assert_text_eq(it_str(f, "naam"), it_str(pf, "naam"));
    struct sbuf want = {0};
    sb_add(&want, "");
    json_array_foreach(prollen, k, prol) {
      if (strcmp(it_str(prol, "familie"), it_str(pf, "code")) == 0) {
        sb_addf(&want, "%s%s", want.len ? "," : "", it_str(prol, "code"));
      }
    }
    char *got = join(json_object_get(f, "rollen"), NULL, ",");
    assert_text_eq(got, want.s);
    free(got);
    free(want.s);
  }
  json_decref(fams);
  json_decref(pack);
}
END_TEST

START_TEST(role_families_match_the_roles) {
  json_t *fams = get_all("/api/v1/rolfamilies");
  char *order = join(fams, "code", ",");
  char *want = it_sqlf("SELECT string_agg(code, ',' ORDER BY volgorde) FROM rolfamilies");
  assert_text_eq(order, want);
  free(order);
  free(want);
  size_t i, total = 0;
  json_t *f;
  json_array_foreach(fams, i, f) {
    const char *code = it_str(f, "code");
    assert_code(code);
    char *rollen = join(json_object_get(f, "rollen"), NULL, ",");
    char *sql = it_sqlf(
        "SELECT coalesce(string_agg(code, ',' ORDER BY volgorde), '') FROM rollen"
        " WHERE familie = '%s'",
        code);
    assert_text_eq(rollen, sql);
    free(rollen);
    free(sql);
    total += json_array_size(json_object_get(f, "rollen"));
  }
  ck_assert_uint_eq(total, 20);
  json_decref(fams);
}
END_TEST

int main(void) {
  Suite *s = suite_create("catalogus-rollen");
  TCase *tc = it_case("catalogus-rollen", 60, setup, teardown);
  tcase_add_test(tc, seed_counts_equal_the_tables);
  tcase_add_test(tc, every_role_has_tasks_and_competencies);
  tcase_add_test(tc, role_competencies_and_tasks_equal_sql);
  tcase_add_test(tc, competencies_list_the_roles_that_need_them);
  tcase_add_test(tc, catalogue_equals_the_data_pack);
  tcase_add_test(tc, role_families_match_the_roles);
  suite_add_tcase(s, tc);
  return it_run_suite(s);
}

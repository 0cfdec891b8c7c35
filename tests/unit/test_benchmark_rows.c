/* The typed pieces of the benchmark rows: the totals text of the database
 * read into a profile (benchmark_repo.h), the CSV writer (csv.h), and the
 * rows of all with their index by municipality (benchmark_rows.h). No
 * database. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "teamplotter/benchmark_repo.h"
#include "teamplotter/benchmark_rows.h"
#include "teamplotter/csv.h"
#include "teamplotter/render.h"
#include "teamplotter/textbuf.h"
#include "benchmark_helpers.h"
#include "json_text.h"

/* --- the totals text ------------------------------------------------------ */

START_TEST(totals_are_read_with_their_roles_interned) {
  struct tp_bm_teamprofielen ps = {0};
  struct tp_bm_teamprofiel *a = tp_bm_teamprofielen_add(&ps, "GM0001", "Een", "u1", "2025-01-01");
  ck_assert_ptr_nonnull(a);
  ck_assert_int_eq(tp_repo_read_totalen(&ps, a, "19.3 webcare 2.5 verbinder 16.8"), 0);
  struct tp_bm_teamprofiel *b = tp_bm_teamprofielen_add(&ps, "GM0002", NULL, "u2", NULL);
  ck_assert_ptr_nonnull(b);
  a = &ps.v[0]; /* the array may have moved */
  ck_assert_int_eq(tp_repo_read_totalen(&ps, b, "0.5 verbinder 0.5"), 0);
  ck_assert_double_eq(a->totaal, 19.3);
  ck_assert_uint_eq(a->nrollen, 2);
  ck_assert_str_eq(a->rollen[0], "webcare");
  ck_assert_double_eq(a->fte[0], 2.5);
  ck_assert_str_eq(a->rollen[1], "verbinder");
  ck_assert_double_eq(a->fte[1], 16.8);
  /* One copy of each code, shared by the profiles. */
  ck_assert_ptr_eq(a->rollen[1], b->rollen[0]);
  ck_assert_uint_eq(ps.ncodes, 2);
  ck_assert_str_eq(a->gemeente, "GM0001");
  ck_assert_str_eq(a->naam, "Een");
  ck_assert_ptr_null(b->naam);
  ck_assert_ptr_null(b->peildatum);
  ck_assert_str_eq(b->teamprofiel, "u2");
  tp_bm_teamprofielen_free(&ps);
}
END_TEST

START_TEST(a_team_without_roles_has_only_its_total) {
  struct tp_bm_teamprofielen ps = {0};
  struct tp_bm_teamprofiel *p = tp_bm_teamprofielen_add(&ps, "GM0001", NULL, NULL, NULL);
  ck_assert_int_eq(tp_repo_read_totalen(&ps, p, "0"), 0);
  ck_assert_double_eq(p->totaal, 0.0);
  ck_assert_uint_eq(p->nrollen, 0);
  tp_bm_teamprofielen_free(&ps);
}
END_TEST

START_TEST(malformed_totals_are_refused) {
  static const char *const bad[] = {
      "",          "x",          "1 webcare",      "1 webcare x", "1 webcare 2 ",
      "1  webcare 2", "1 webcare 2 verbinder", "1 webcare 2x",
  };
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    struct tp_bm_teamprofielen ps = {0};
    struct tp_bm_teamprofiel *p = tp_bm_teamprofielen_add(&ps, "GM0001", NULL, NULL, NULL);
    ck_assert_msg(tp_repo_read_totalen(&ps, p, bad[i]) != 0, "'%s' was read", bad[i]);
    tp_bm_teamprofielen_free(&ps);
  }
  /* A code of 128 bytes or more. */
  char text[300] = "1 ";
  memset(text + 2, 'r', 200);
  strcpy(text + 202, " 1");
  struct tp_bm_teamprofielen ps = {0};
  struct tp_bm_teamprofiel *p = tp_bm_teamprofielen_add(&ps, "GM0001", NULL, NULL, NULL);
  ck_assert_int_ne(tp_repo_read_totalen(&ps, p, text), 0);
  tp_bm_teamprofielen_free(&ps);
}
END_TEST

/* --- CSV ------------------------------------------------------------------- */

/* The text of one CSV row written by `write`. */
static char *csv_of(void (*write)(struct tp_textbuf *)) {
  struct tp_textbuf b;
  tp_textbuf_init(&b, 4096);
  write(&b);
  char *text = tp_textbuf_finish(&b, NULL);
  ck_assert_ptr_nonnull(text);
  return text;
}

static void fields(struct tp_textbuf *b) {
  tp_csv_field(b, "plain", 1);
  tp_csv_field(b, NULL, 0);
  tp_csv_field(b, "a,b", 0);
  tp_csv_field(b, "zeg \"hoi\"", 0);
  tp_csv_field(b, "twee\r\nregels", 0);
  tp_csv_field(b, "", 0);
}

static void numbers(struct tp_textbuf *b) {
  tp_csv_field(b, "n", 1);
  tp_csv_real(b, NAN);
  tp_csv_real(b, 19.0);
  tp_csv_real(b, 0.8248);
  tp_csv_real(b, -2.5);
  tp_csv_real(b, 1.0 / 3.0);   /* more than 4 decimals: as %.15g */
  tp_csv_real(b, 123456789012.5); /* 10^11 and more: as %.15g */
  tp_csv_integer(b, 0);
  tp_csv_integer(b, -233983);
}

START_TEST(csv_fields_are_quoted_when_they_must_be) {
  char *text = csv_of(fields);
  ck_assert_str_eq(text, "plain,,\"a,b\",\"zeg \"\"hoi\"\"\",\"twee\r\nregels\",");
  free(text);
}
END_TEST

START_TEST(csv_numbers_are_written_as_the_json_shows_them) {
  char *text = csv_of(numbers);
  ck_assert_str_eq(text, "n,,19,0.8248,-2.5,0.333333333333333,123456789012.5,0,-233983");
  free(text);
}
END_TEST

/* --- the rows of all --------------------------------------------------------- */

/* Three reference municipalities, none of the profiles below. */
static const char *INPUTS =
    "{'catalogusVersie':'2025.1','referenties':["
    "{'gemeente':'GM0005','inwoners':20000,'leden':["
    "{'label':'x','fte':1.0,'rollen':[{'rol':'verbinder','aandeel':1.0}],'competenties':[]}]},"
    "{'gemeente':'GM0001','inwoners':30000,'leden':["
    "{'label':'x','fte':1.5,'rollen':[{'rol':'webcare','aandeel':1.5}],'competenties':[]}]},"
    "{'gemeente':'GM0004','inwoners':5000,'leden':[]}]}";

/* Profiles in an order that is not the codes' own, one without a code;
 * figures as an analysis leaves them (roles sorted, fte dropped). */
static void profiles_of(struct tp_bm_teamprofielen *ps) {
  static const struct {
    const char *gemeente, *naam, *totalen;
    long long inwoners;
    double dekking, capaciteit;
  } rows[] = {
      {"GM0300", "Drie, honderd", "2.4 verbinder 1.4 webcare 1", 16000, 0.6, 1.5},
      {"GM0010", "Tien", "0.6 webcare 0.6", 12000, NAN, NAN},
      {NULL, NULL, "1 verbinder 1", 11000, 0.5, 1.0},
      {"GM0200", "Twee \"honderd\"", "1.2 verbinder 1.2", 15000, 0.4, 0.8},
  };
  memset(ps, 0, sizeof(*ps));
  for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
    struct tp_bm_teamprofiel *p = tp_bm_teamprofielen_add(ps, rows[i].gemeente, rows[i].naam, "uuid",
                                                 "2025-01-01");
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(tp_repo_read_totalen(ps, p, rows[i].totalen), 0);
    p->inwoners = rows[i].inwoners;
    p->dekking = rows[i].dekking;
    p->capaciteit = rows[i].capaciteit;
    free(p->fte);
    p->fte = NULL;
  }
}

/* The rows of those profiles (kept in *ps) against INPUTS (*inputs). */
static struct tp_bm_rows *rows_of(struct tp_bm_teamprofielen *ps, json_t **inputs) {
  profiles_of(ps);
  *inputs = J(INPUTS);
  struct tp_bm_rows *rows = tp_bm_rows_build(ps, *inputs);
  ck_assert_ptr_nonnull(rows);
  return rows;
}

static void done_with(struct tp_bm_rows *rows, struct tp_bm_teamprofielen *ps, json_t *inputs) {
  tp_bm_rows_drop(rows);
  tp_bm_teamprofielen_free(ps);
  json_decref(inputs);
}

START_TEST(each_row_is_found_by_its_code) {
  struct tp_bm_teamprofielen ps;
  json_t *inputs;
  struct tp_bm_rows *rows = rows_of(&ps, &inputs);
  ck_assert_uint_eq(tp_bm_rows_count(rows), 4);
  static const char *const codes[] = {"GM0300", "GM0010", NULL, "GM0200"};
  for (size_t i = 0; i < 4; i++) {
    if (codes[i] == NULL) continue;
    ck_assert_int_eq(tp_bm_rows_find(rows, codes[i]), (long)i);
    size_t len;
    const char *text = tp_bm_rows_text(rows, i, &len);
    json_t *row = json_loadb(text, len, 0, NULL);
    ck_assert_ptr_nonnull(row);
    ck_assert_str_eq(str(row, "gemeente"), codes[i]);
    ck_assert_str_eq(str(row, "catalogusVersie"), "2025.1");
    /* The same row as the one computed for it alone. */
    json_t *alone = NULL;
    ck_assert_int_eq(tp_bm_row_of(&ps, inputs, codes[i], NULL, NULL, &alone), 0);
    ck_assert_ptr_nonnull(alone);
    char *a = tp_json_render(row), *b = tp_json_render(alone);
    ck_assert_str_eq(a, b);
    free(a);
    free(b);
    json_decref(alone);
    json_decref(row);
  }
  ck_assert_int_eq(tp_bm_rows_find(rows, "GM0011"), -1);
  ck_assert_int_eq(tp_bm_rows_find(rows, "GM0000"), -1);
  ck_assert_int_eq(tp_bm_rows_find(rows, "GM9999"), -1);
  ck_assert_int_eq(tp_bm_rows_find(rows, ""), -1);
  /* The rows live on without the profiles, and with another holder. */
  tp_bm_teamprofielen_free(&ps);
  json_decref(inputs);
  struct tp_bm_rows *held = tp_bm_rows_hold(rows);
  tp_bm_rows_drop(rows);
  ck_assert_int_eq(tp_bm_rows_find(held, "GM0200"), 3);
  tp_bm_rows_drop(held);
}
END_TEST

START_TEST(pages_splice_the_row_texts) {
  struct tp_bm_teamprofielen ps;
  json_t *inputs;
  struct tp_bm_rows *rows = rows_of(&ps, &inputs);
  size_t len, n1, n2;
  char *page = tp_bm_rows_page(rows, 1, 2, &len);
  const char *r1 = tp_bm_rows_text(rows, 1, &n1), *r2 = tp_bm_rows_text(rows, 2, &n2);
  ck_assert_uint_eq(len, n1 + n2 + 3);
  ck_assert_int_eq(page[0], '[');
  ck_assert_int_eq(memcmp(page + 1, r1, n1), 0);
  ck_assert_int_eq(page[1 + n1], ',');
  ck_assert_int_eq(memcmp(page + 2 + n1, r2, n2), 0);
  ck_assert_str_eq(page + 2 + n1 + n2, "]");
  free(page);
  page = tp_bm_rows_page(rows, 3, 20, &len); /* the last row only */
  json_t *doc = json_loadb(page, len, 0, NULL);
  ck_assert_uint_eq(json_array_size(doc), 1);
  json_decref(doc);
  free(page);
  page = tp_bm_rows_page(rows, 4, 20, &len);
  ck_assert_str_eq(page, "[]");
  free(page);
  done_with(rows, &ps, inputs);
}
END_TEST

START_TEST(csv_has_a_header_and_a_line_per_row) {
  struct tp_bm_teamprofielen ps;
  json_t *inputs;
  struct tp_bm_rows *rows = rows_of(&ps, &inputs);
  size_t len;
  const char *csv = tp_bm_rows_csv(rows, &len);
  ck_assert_uint_eq(strlen(csv), len);
  static const char header[] =
      "gemeente,naam,inwoners,grootteklasse,peildatum,teamprofiel,totaalFte,ftePer10000,dekking,"
      "capaciteit,dichtstbijzijnd,groepsgrootte,ftePer10000Percentiel,dekkingPercentiel,"
      "onderdrukt\r\n";
  ck_assert_int_eq(strncmp(csv, header, strlen(header)), 0);
  size_t lines = 0;
  for (const char *p = csv; (p = strstr(p, "\r\n")) != NULL; p += 2) lines++;
  ck_assert_uint_eq(lines, 5);
  /* A name with a comma or a quote is quoted; a null coverage is empty. */
  ck_assert_ptr_nonnull(strstr(csv, "\r\nGM0300,\"Drie, honderd\",16000,3,2025-01-01,uuid,2.4,1.5,"));
  ck_assert_ptr_nonnull(strstr(csv, "\r\nGM0200,\"Twee \"\"honderd\"\"\",15000,"));
  ck_assert_ptr_nonnull(strstr(csv, "\r\nGM0010,Tien,12000,3,2025-01-01,uuid,0.6,0.5,,,"));
  done_with(rows, &ps, inputs);
}
END_TEST

/* A round stores each row's CSV line apart: the header and the lines,
 * joined, are the CSV of all, byte for byte, and line i is row i's. */
START_TEST(csv_lines_join_into_the_csv) {
  struct tp_bm_teamprofielen ps;
  json_t *inputs;
  struct tp_bm_rows *rows = rows_of(&ps, &inputs);
  size_t len, n;
  const char *csv = tp_bm_rows_csv(rows, &len);
  const char *part = tp_bm_rows_csv_header(rows, &n);
  ck_assert_uint_gt(n, 2);
  ck_assert_int_eq(memcmp(part, "gemeente,", 9), 0);
  ck_assert_int_eq(memcmp(part + n - 2, "\r\n", 2), 0);
  size_t at = n;
  ck_assert_int_eq(memcmp(csv, part, n), 0);
  for (size_t i = 0; i < tp_bm_rows_count(rows); i++) {
    part = tp_bm_rows_csv_line(rows, i, &n);
    ck_assert_int_eq(memcmp(part + n - 2, "\r\n", 2), 0);
    ck_assert_int_eq(memcmp(csv + at, part, n), 0);
    /* It is the line of the row's own municipality. */
    size_t tlen;
    const char *text = tp_bm_rows_text(rows, i, &tlen);
    json_t *row = json_loadb(text, tlen, 0, NULL);
    ck_assert_ptr_nonnull(row);
    const char *code = json_string_value(json_object_get(row, "gemeente"));
    if (code == NULL) code = ""; /* a profile without one: an empty first field */
    ck_assert_int_eq(strncmp(part, code, strlen(code)), 0);
    ck_assert_int_eq(part[strlen(code)], ',');
    json_decref(row);
    at += n;
  }
  ck_assert_uint_eq(at, len);
  done_with(rows, &ps, inputs);
}
END_TEST

int main(void) {
  Suite *s = suite_create("benchmark_rows");
  TCase *tc = tcase_create("benchmark_rows");
  tcase_add_test(tc, totals_are_read_with_their_roles_interned);
  tcase_add_test(tc, a_team_without_roles_has_only_its_total);
  tcase_add_test(tc, malformed_totals_are_refused);
  tcase_add_test(tc, csv_fields_are_quoted_when_they_must_be);
  tcase_add_test(tc, csv_numbers_are_written_as_the_json_shows_them);
  tcase_add_test(tc, each_row_is_found_by_its_code);
  tcase_add_test(tc, pages_splice_the_row_texts);
  tcase_add_test(tc, csv_has_a_header_and_a_line_per_row);
  tcase_add_test(tc, csv_lines_join_into_the_csv);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}

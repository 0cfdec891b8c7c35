/* `teamplotter peiling maak NAAM --peildatum D [--toelichting T]`: a
 * benchmark round made from the command line, as POST /api/v1/peilingen
 * makes it, without a time limit on computing the rows. */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "teamplotter/cli.h"
#include "teamplotter/clock.h"
#include "teamplotter/peiling.h"
#include "teamplotter/peilingen_repo.h"
#include "teamplotter/pool.h"
#include "teamplotter/snapshot.h"

static const char USAGE[] =
    "usage: teamplotter peiling maak NAAM --peildatum JJJJ-MM-DD [--toelichting TEKST]\n";

/* Who made a round from the command line, as its `client` shows. */
static const char CLI_CLIENT[] = "teamplotter-cli";

/* How long the command waits for the rows of all. */
#define ROWS_WAIT_MS (10L * 60 * 1000)

/* A quartile for the summary: the number, or "-" for null. */
static void put_quartile(const json_t *q, const char *name) {
  const json_t *v = json_object_get(q, name);
  if (json_is_number(v))
    printf(" %s %.4g", name, json_number_value(v));
  else
    printf(" %s -", name);
}

static void print_summary(const json_t *doc) {
  printf("peiling %s as of %s: %lld municipalities (catalogue %s, method %lld)\n",
         json_string_value(json_object_get(doc, "naam")),
         json_string_value(json_object_get(doc, "peildatum")),
         (long long)json_integer_value(json_object_get(doc, "aantalGemeenten")),
         json_string_value(json_object_get(doc, "catalogusVersie")),
         (long long)json_integer_value(json_object_get(doc, "methodeVersie")));
  size_t i;
  const json_t *k;
  json_array_foreach(json_object_get(json_object_get(doc, "samenvatting"), "grootteklassen"), i,
                     k) {
    printf("  grootteklasse %lld: %lld municipalities;",
           (long long)json_integer_value(json_object_get(k, "grootteklasse")),
           (long long)json_integer_value(json_object_get(k, "aantalGemeenten")));
    const json_t *fte = json_object_get(k, "ftePer10000Kwartielen");
    const json_t *dek = json_object_get(k, "dekkingKwartielen");
    printf(" ftePer10000");
    put_quartile(fte, "p25");
    put_quartile(fte, "mediaan");
    put_quartile(fte, "p75");
    printf("; dekking");
    put_quartile(dek, "p25");
    put_quartile(dek, "mediaan");
    put_quartile(dek, "p75");
    printf("%s\n", json_is_true(json_object_get(k, "onderdrukt")) ? " (suppressed: k = 5)" : "");
  }
}

/* The round of `body` made and its summary printed: the exit status. */
static int maak(const struct tp_config *cfg, const json_t *body) {
  char today[16];
  tp_today_utc(today);
  json_t *invalid = json_array();
  struct tp_peiling_nieuw p;
  if (invalid == NULL) return 1;
  tp_peiling_validate(body, today, invalid, &p);
  size_t i;
  const json_t *e;
  json_array_foreach(invalid, i, e) {
    fprintf(stderr, "teamplotter: %s: %s\n", json_string_value(json_object_get(e, "name")),
            json_string_value(json_object_get(e, "reason")));
  }
  int bad = json_array_size(invalid) > 0;
  json_decref(invalid);
  if (bad) return 2;
  struct tp_pool *pool = NULL;
  struct tp_snapshots *store = NULL;
  struct tp_snapshot *snap = NULL;
  json_t *doc = NULL;
  /* Two connections: the rows are read on a thread of their own. */
  tp_rc rc = tp_pool_create(&pool, cfg->database_url, 2, 5000);
  if (rc == TP_OK) rc = tp_snapshots_create(&store, cfg->database_url, pool);
  if (rc == TP_OK) rc = tp_snapshot_acquire(store, &snap);
  if (rc == TP_OK) rc = tp_repo_peiling_maak(pool, store, snap, &p, CLI_CLIENT, ROWS_WAIT_MS, &doc);
  if (rc == TP_OK) {
    print_summary(doc);
  } else if (rc == TP_ERR_CONFLICT) {
    fprintf(stderr, "teamplotter: a peiling named %s exists already; nothing was stored\n", p.naam);
  } else if (rc == TP_ERR_OUTCOME_UNKNOWN) {
    fprintf(stderr, "teamplotter: PostgreSQL did not confirm the peiling in time; it may or may "
                    "not have been stored\n");
  } else {
    fprintf(stderr, "teamplotter: the peiling could not be made (%s); nothing was stored\n",
            tp_rc_name(rc));
  }
  json_decref(doc);
  if (snap != NULL) tp_snapshot_release(store, snap);
  if (store != NULL) tp_snapshots_destroy(store);
  tp_pool_destroy(pool);
  return rc == TP_OK ? 0 : 1;
}

int tp_cli_peiling(const struct tp_config *cfg, int argc, char **argv) {
  if (argc < 2 || strcmp(argv[0], "maak") != 0) {
    fputs(USAGE, stderr);
    return 2;
  }
  json_t *body = json_pack("{s:s}", "naam", argv[1]);
  for (int i = 2; body != NULL && i < argc; i += 2) {
    const char *key = strcmp(argv[i], "--peildatum") == 0     ? "peildatum"
                      : strcmp(argv[i], "--toelichting") == 0 ? "toelichting"
                                                              : NULL;
    if (key == NULL || i + 1 >= argc || json_object_get(body, key) != NULL) {
      fputs(USAGE, stderr);
      json_decref(body);
      return 2;
    }
    json_object_set_new(body, key, json_string(argv[i + 1]));
  }
  int rc = body != NULL ? maak(cfg, body) : 1;
  json_decref(body);
  return rc;
}

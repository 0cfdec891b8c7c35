#include "teamplotter/cli.h"

#include "teamplotter/catalogus.h"
#include "teamplotter/catalogusbeheer_repo.h"
#include "teamplotter/clients_repo.h"
#include "teamplotter/hash.h"
#include "teamplotter/pool.h"
#include "teamplotter/repo.h"
#include "teamplotter/team.h"
#include "teamplotter/teamprofielen_repo.h"
#include "teamplotter/token.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gnutls/crypto.h>
#include <jansson.h>
#include <uuid/uuid.h>


static const char *const SCOPES[] = {"teamprofielen.lezen", "teamprofielen.schrijven",
                                     "benchmarks.lezen", "audittrail.lezen", "catalogus.beheren",
                                     "peilingen.beheren", NULL};

#define SECRET_BYTES 32

/* One connection for one command. */
struct session {
  struct tp_pool *pool;
  struct tp_db *db;
};

static int open_session(const struct tp_config *cfg, struct session *s) {
  s->pool = NULL;
  s->db = NULL;
  if (tp_pool_create(&s->pool, cfg->database_url, 1, 5000) != TP_OK ||
      tp_pool_acquire(s->pool, &s->db) != TP_OK) {
    fprintf(stderr, "teamplotter: could not connect to PostgreSQL\n");
    tp_pool_destroy(s->pool);
    return -1;
  }
  return 0;
}

static void close_session(struct session *s) {
  tp_pool_release(s->pool, s->db);
  tp_pool_destroy(s->pool);
}

/* Splits "a,b,c" into a JSON array of strings. */
static json_t *split_list(const char *list) {
  json_t *out = json_array();
  const char *p = list;
  while (out != NULL && *p) {
    const char *end = strchr(p, ',');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    if (n > 0) json_array_append_new(out, json_stringn(p, n));
    if (end == NULL) break;
    p = end + 1;
  }
  return out;
}

static int scope_known(const char *scope) {
  for (size_t i = 0; SCOPES[i] != NULL; i++) {
    if (strcmp(SCOPES[i], scope) == 0) return 1;
  }
  return 0;
}

static int new_secret(char out[2 * SECRET_BYTES + 1]) {
  unsigned char raw[SECRET_BYTES];
  if (gnutls_rnd(GNUTLS_RND_KEY, raw, sizeof(raw)) != 0) return -1;
  tp_hex(raw, sizeof(raw), out);
  return 0;
}

static int clients_add(const struct tp_config *cfg, int argc, char **argv) {
  const char *id = NULL, *scopes = NULL, *gemeenten = "";
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--scopes") == 0 && i + 1 < argc) {
      scopes = argv[++i];
    } else if (strcmp(argv[i], "--gemeenten") == 0 && i + 1 < argc) {
      gemeenten = argv[++i];
    } else if (id == NULL && argv[i][0] != '-') {
      id = argv[i];
    } else {
      fprintf(stderr, "teamplotter: unexpected argument \"%s\"\n", argv[i]);
      return 2;
    }
  }
  if (id == NULL || scopes == NULL) {
    fprintf(stderr, "usage: teamplotter clients add ID --scopes S1,S2 [--gemeenten GM0855,...|*]\n");
    return 2;
  }
  int all = strcmp(gemeenten, "*") == 0;
  json_t *scope_list = split_list(scopes);
  json_t *gemeente_list = all ? json_array() : split_list(gemeenten);
  int rc = 1;
  size_t i;
  json_t *s;
  json_array_foreach(scope_list, i, s) {
    if (!scope_known(json_string_value(s))) {
      fprintf(stderr, "teamplotter: unknown scope \"%s\" (known: teamprofielen.lezen, "
                      "teamprofielen.schrijven, benchmarks.lezen, audittrail.lezen, "
                      "catalogus.beheren, peilingen.beheren)\n", json_string_value(s));
      goto out;
    }
  }
  char secret[2 * SECRET_BYTES + 1];
  struct session session;
  if (new_secret(secret) != 0 || open_session(cfg, &session) != 0) goto out;
  tp_rc added = tp_repo_client_add(session.db, id, secret, scope_list, gemeente_list, all);
  close_session(&session);
  if (added == TP_OK) {
    /* The only time the secret is shown. */
    printf("client %s added\nsecret: %s\n", id, secret);
    rc = 0;
  } else if (added == TP_ERR_CONFLICT) {
    fprintf(stderr, "teamplotter: client \"%s\" already exists\n", id);
  } else if (added == TP_ERR_PARAM) {
    fprintf(stderr, "teamplotter: --gemeenten names a municipality code that does not exist\n");
  } else {
    fprintf(stderr, "teamplotter: could not add client \"%s\" (ids are 1-64 of A-Z a-z 0-9 . _ -)\n",
            id);
  }
out:
  json_decref(scope_list);
  json_decref(gemeente_list);
  return rc;
}

static void print_list(const json_t *array) {
  size_t i;
  json_t *v;
  json_array_foreach(array, i, v) printf("%s%s", i ? "," : "", json_string_value(v));
}

static int clients_list(const struct tp_config *cfg) {
  struct session session;
  json_t *list = NULL;
  if (open_session(cfg, &session) != 0) return 1;
  tp_rc rc = tp_repo_clients_list(session.db, &list);
  close_session(&session);
  if (rc != TP_OK) return 1;
  size_t i;
  json_t *c;
  printf("%-24s %-10s %-60s %s\n", "id", "status", "scopes", "gemeenten");
  json_array_foreach(list, i, c) {
    printf("%-24s %-10s ", json_string_value(json_object_get(c, "id")),
           json_is_true(json_object_get(c, "ingetrokken")) ? "revoked" : "active");
    print_list(json_object_get(c, "scopes"));
    printf(" ");
    if (json_is_true(json_object_get(c, "alleGemeenten"))) {
      printf("*");
    } else {
      print_list(json_object_get(c, "gemeenten"));
    }
    printf("\n");
  }
  json_decref(list);
  return 0;
}

static int clients_revoke(const struct tp_config *cfg, const char *id) {
  struct session session;
  if (open_session(cfg, &session) != 0) return 1;
  tp_rc rc = tp_repo_client_revoke(session.db, id);
  close_session(&session);
  if (rc == TP_ERR_NOT_FOUND) {
    fprintf(stderr, "teamplotter: no client \"%s\"\n", id);
  } else if (rc == TP_OK) {
    printf("client %s revoked\n", id);
  }
  return rc == TP_OK ? 0 : 1;
}

int tp_cli_clients(const struct tp_config *cfg, int argc, char **argv) {
  if (argc >= 1 && strcmp(argv[0], "add") == 0) return clients_add(cfg, argc - 1, argv + 1);
  if (argc == 1 && strcmp(argv[0], "list") == 0) return clients_list(cfg);
  if (argc == 2 && strcmp(argv[0], "revoke") == 0) return clients_revoke(cfg, argv[1]);
  fprintf(stderr, "usage: teamplotter clients add ID --scopes S1,S2 [--gemeenten GM0855,...|*]\n"
                  "       teamplotter clients list\n"
                  "       teamplotter clients revoke ID\n");
  return 2;
}

int tp_cli_token(const struct tp_config *cfg, int argc, char **argv) {
  if (argc != 1) {
    fprintf(stderr, "usage: teamplotter token ID\n");
    return 2;
  }
  struct session session;
  json_t *client = NULL;
  if (open_session(cfg, &session) != 0) return 1;
  tp_rc rc = tp_repo_client(session.db, argv[0], &client);
  close_session(&session);
  if (rc != TP_OK || json_is_true(json_object_get(client, "ingetrokken"))) {
    fprintf(stderr, "teamplotter: no active client \"%s\"\n", argv[0]);
    json_decref(client);
    return 1;
  }
  char *token = tp_token_mint(argv[0], json_string_value(json_object_get(client, "secret")),
                              time(NULL), (long)cfg->jwt_max_age);
  json_decref(client);
  if (token == NULL) return 1;
  printf("%s\n", token);
  free(token);
  return 0;
}

/* The uuid of a reference profile: a name-based (SHA-1) UUID of its
 * municipality and date, so that importing the same team again keeps
 * links to it valid (the seed uses the same scheme). */
static void reference_uuid(const char *gemeente, const char *peildatum, char out[37]) {
  static const uuid_t namespace_url = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
                                       0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
  char name[128];
  uuid_t id;
  snprintf(name, sizeof(name), "urn:teamplotter:referentieteam:%s:%s", gemeente, peildatum);
  uuid_generate_sha1(id, namespace_url, name, strlen(name));
  uuid_unparse_lower(id, out);
}

static void print_invalid(const json_t *invalid) {
  size_t i;
  json_t *e;
  json_array_foreach(invalid, i, e) {
    fprintf(stderr, "  %s: %s (%s)\n", json_string_value(json_object_get(e, "name")),
            json_string_value(json_object_get(e, "reason")),
            json_string_value(json_object_get(e, "code")));
  }
}

/* Says why an import failed: nothing changed, unless PostgreSQL did not
 * confirm the COMMIT, after which nobody knows. */
static void import_failed(tp_rc rc) {
  if (rc == TP_ERR_OUTCOME_UNKNOWN) {
    fprintf(stderr, "teamplotter: PostgreSQL did not confirm the import in time; it may or may not "
                    "have been applied. Running the same import again is safe.\n");
  } else {
    fprintf(stderr, "teamplotter: the import failed; nothing was changed\n");
  }
}

/* The file name of `path`: what a version says it came from. */
static const char *file_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash != NULL && slash[1] != '\0' ? slash + 1 : path;
}

/* Stores the validated profiles of `doc` under their name-based uuids,
 * as a new reference-set version when they differ from the current set. */
static int store_references(struct session *session, const json_t *doc, const char *path) {
  const json_t *profielen = json_object_get(doc, "profielen");
  size_t n = json_array_size(profielen);
  char(*ids)[37] = calloc(n, sizeof(*ids));
  const char **uuids = calloc(n, sizeof(char *));
  const char *bron = json_string_value(json_object_get(doc, "bron"));
  struct tp_referentie_bron herkomst = {json_string_value(json_object_get(doc, "versie")),
                                        bron ? bron : file_name(path),
                                        json_string_value(json_object_get(doc, "toelichting"))};
  json_t *versie = NULL;
  tp_rc rc = TP_ERR_NOMEM;
  if (ids != NULL && uuids != NULL) {
    for (size_t i = 0; i < n; i++) {
      const json_t *p = json_array_get(profielen, i);
      reference_uuid(json_string_value(json_object_get(p, "gemeente")),
                     json_string_value(json_object_get(p, "peildatum")), ids[i]);
      uuids[i] = ids[i];
    }
    rc = tp_repo_referenties_replace(session->db, profielen, uuids, &herkomst, &versie);
  }
  if (rc != TP_OK) {
    import_failed(rc);
  } else if (versie == NULL) {
    printf("%zu reference profiles imported from %s: nothing changed, no new reference-set "
           "version\n", n, path);
  } else {
    printf("%zu reference profiles imported from %s: reference-set version %s (%s)\n", n, path,
           json_string_value(json_object_get(versie, "versie")),
           json_string_value(json_object_get(versie, "samenvatting")));
  }
  json_decref(versie);
  free(ids);
  free(uuids);
  return rc == TP_OK ? 0 : 1;
}

/* Reads the JSON file of an import and opens its session; NULL after
 * saying why not. */
static json_t *open_import(const struct tp_config *cfg, const char *path,
                           struct session *session) {
  json_error_t err;
  json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
  if (doc == NULL) {
    fprintf(stderr, "teamplotter: %s:%d: %s\n", path, err.line, err.text);
  } else if (open_session(cfg, session) != 0) {
    json_decref(doc);
    doc = NULL;
  }
  return doc;
}

static int import_referentieteams(const struct tp_config *cfg, const char *path) {
  struct session session;
  json_t *doc = open_import(cfg, path, &session);
  if (doc == NULL) return 1;
  json_t *codes = NULL, *refs = NULL, *invalid = json_array();
  struct tp_known known = {0};
  struct tp_codes referentie = {0}, bronnen = {0};
  int rc = 1;
  /* Without the list every violation would be dropped and the file pass. */
  if (invalid != NULL && tp_repo_known_codes(session.db, &codes) == TP_OK &&
      tp_repo_referentie_codes(session.db, &refs) == TP_OK &&
      tp_known_from_json(codes, &known) == 0 &&
      tp_codes_from_json(json_object_get(refs, "referentiegemeenten"), &referentie) == 0 &&
      tp_codes_from_json(json_object_get(refs, "bronnen"), &bronnen) == 0) {
    tp_referentie_import_validate(doc, &known, &referentie, &bronnen, invalid);
    if (json_array_size(invalid) > 0) {
      fprintf(stderr, "teamplotter: %s is not valid; nothing was changed:\n", path);
      print_invalid(invalid);
    } else {
      rc = store_references(&session, doc, path);
    }
  }
  close_session(&session);
  tp_codes_free(&referentie);
  tp_codes_free(&bronnen);
  tp_known_free(&known);
  json_decref(codes);
  json_decref(refs);
  json_decref(invalid);
  json_decref(doc);
  return rc;
}

static void validate_content(enum tp_catalogus_bestand bestand, const json_t *doc,
                             const struct tp_catalogus_refs *refs, json_t *invalid) {
  switch (bestand) {
  case TP_BESTAND_CATALOGUS:
    tp_catalogus_file_validate(doc, refs, invalid);
    break;
  case TP_BESTAND_SUCCESFACTOREN:
    tp_succesfactoren_file_validate(doc, refs, invalid);
    break;
  case TP_BESTAND_SUCCESVERHALEN:
    tp_succesverhalen_file_validate(doc, refs, invalid);
    break;
  }
}

/* Stores a validated content file as a new catalogue version. */
static int store_content(struct session *session, enum tp_catalogus_bestand bestand,
                         const json_t *doc, const char *path, json_t *invalid) {
  static const struct tp_change importer = {"import", NULL};
  json_t *versie = NULL;
  tp_rc rc = tp_repo_catalogus_import(session->db, bestand, doc, &importer, invalid, &versie);
  if (rc == TP_ERR_PARAM) {
    fprintf(stderr, "teamplotter: %s is not valid; nothing was changed:\n", path);
    print_invalid(invalid);
  } else if (rc != TP_OK) {
    import_failed(rc);
  } else if (versie == NULL) {
    printf("%s holds what the catalogue already holds; no new version\n", path);
  } else {
    printf("catalogue version %s imported from %s: %s\n",
           json_string_value(json_object_get(versie, "versie")), path,
           json_string_value(json_object_get(versie, "samenvatting")));
  }
  json_decref(versie);
  return rc == TP_OK ? 0 : 1;
}

static int import_content(const struct tp_config *cfg, enum tp_catalogus_bestand bestand,
                          const char *path) {
  struct session session;
  json_t *doc = open_import(cfg, path, &session);
  if (doc == NULL) return 1;
  json_t *codes = NULL, *invalid = json_array();
  struct tp_catalogus_refs refs;
  int rc = 1;
  /* Without the list every violation would be dropped and the file pass. */
  if (invalid != NULL && tp_repo_catalogus_refs(session.db, &codes) == TP_OK &&
      tp_catalogus_refs_from_json(codes, &refs) == 0) {
    validate_content(bestand, doc, &refs, invalid);
    if (json_array_size(invalid) > 0) {
      fprintf(stderr, "teamplotter: %s is not valid; nothing was changed:\n", path);
      print_invalid(invalid);
    } else {
      rc = store_content(&session, bestand, doc, path, invalid);
    }
    tp_catalogus_refs_free(&refs);
  }
  close_session(&session);
  json_decref(codes);
  json_decref(invalid);
  json_decref(doc);
  return rc;
}

int tp_cli_import(const struct tp_config *cfg, int argc, char **argv) {
  static const struct {
    const char *name;
    enum tp_catalogus_bestand bestand;
  } CONTENT[] = {{"catalogus", TP_BESTAND_CATALOGUS},
                 {"succesfactoren", TP_BESTAND_SUCCESFACTOREN},
                 {"succesverhalen", TP_BESTAND_SUCCESVERHALEN}};
  if (argc == 2 && strcmp(argv[0], "referentieteams") == 0) {
    return import_referentieteams(cfg, argv[1]);
  }
  for (size_t i = 0; argc == 2 && i < sizeof(CONTENT) / sizeof(CONTENT[0]); i++) {
    if (strcmp(argv[0], CONTENT[i].name) == 0) return import_content(cfg, CONTENT[i].bestand, argv[1]);
  }
  fprintf(stderr, "usage: teamplotter import referentieteams|catalogus|succesfactoren|"
                  "succesverhalen FILE.json\n");
  return 2;
}

/* The client an erasure is recorded under: no API client can have this id
 * (ids have no spaces), so the trail shows plainly where it came from. */
static const char ERASER[] = "teamplotter audit erase";

static const char AUDIT_USAGE[] = "usage: teamplotter audit purge\n"
                                  "       teamplotter audit erase UUID\n";

static int audit_purge(const struct tp_config *cfg) {
  unsigned days = cfg->audit_retention_days;
  if (days == 0) {
    printf("TEAMPLOTTER_AUDIT_RETENTION_DAYS is 0: the audit trail is kept; nothing purged\n");
    return 0;
  }
  struct session session;
  if (open_session(cfg, &session) != 0) return 1;
  unsigned long purged = 0;
  tp_rc rc = tp_repo_audittrail_purge(session.db, days, 0, &purged);
  close_session(&session);
  if (rc != TP_OK) {
    fprintf(stderr, "teamplotter: purging the audit trail failed after %lu rows (%s)\n", purged,
            tp_rc_name(rc));
    return 1;
  }
  printf("%lu audit rows older than %u days purged\n", purged, days);
  return 0;
}

static int audit_erase(const struct tp_config *cfg, const char *uuid) {
  uuid_t parsed;
  if (uuid_parse(uuid, parsed) != 0) {
    fprintf(stderr, "teamplotter: \"%s\" is not a UUID\n%s", uuid, AUDIT_USAGE);
    return 2;
  }
  char canonical[37];
  uuid_unparse_lower(parsed, canonical);
  struct session session;
  if (open_session(cfg, &session) != 0) return 1;
  json_t *result = NULL;
  tp_rc rc = tp_repo_audittrail_erase(session.db, canonical, ERASER, &result);
  close_session(&session);
  int status = 1;
  if (rc == TP_ERR_NOT_FOUND) {
    fprintf(stderr, "teamplotter: profile %s has no audit trail\n", canonical);
  } else if (rc == TP_ERR_OUTCOME_UNKNOWN) {
    fprintf(stderr, "teamplotter: PostgreSQL did not confirm the erasure in time; it may or may "
                    "not have been done. Running the same erasure again is safe.\n");
  } else if (rc != TP_OK) {
    fprintf(stderr, "teamplotter: erasing the audit trail failed (%s); nothing was changed\n",
            tp_rc_name(rc));
  } else {
    json_int_t gewist = json_integer_value(json_object_get(result, "gewist"));
    json_int_t sleutels = json_integer_value(json_object_get(result, "sleutels"));
    if (sleutels > 0) {
      printf("%lld answers kept for idempotency keys of profile %s deleted\n",
             (long long)sleutels, canonical);
    }
    if (gewist == 0) {
      printf("the audit trail of profile %s holds no content: nothing to erase\n", canonical);
    } else {
      printf("content of %lld audit rows of profile %s erased; the erasure is recorded\n",
             (long long)gewist, canonical);
    }
    if (json_is_true(json_object_get(result, "profielBestaat"))) {
      printf("the profile itself still exists: if its member labels name people, change them with "
             "PUT /api/v1/teamprofielen/%s, then erase again (the PUT's audit row holds the old "
             "labels)\n",
             canonical);
    }
    status = 0;
  }
  json_decref(result);
  return status;
}

int tp_cli_audit(const struct tp_config *cfg, int argc, char **argv) {
  if (argc == 1 && strcmp(argv[0], "purge") == 0) return audit_purge(cfg);
  if (argc == 2 && strcmp(argv[0], "erase") == 0) return audit_erase(cfg, argv[1]);
  fputs(AUDIT_USAGE, stderr);
  return 2;
}

#ifndef TEAMPLOTTER_REPO_H
#define TEAMPLOTTER_REPO_H

/* Read access to the catalogue, municipalities, success content and team
 * profiles. Each resource has a page query and a single-item query, both
 * answering with the JSON document the API returns (built by the api_*
 * views of sql/migrations). All SQL takes parameters. */

#include <jansson.h>

#include "teamplotter/catalogus.h"
#include "teamplotter/pool.h"
#include "teamplotter/render.h"

/* A page query: fills *page (new reference) with
 * {count, results: [...], onbekend: [names of filters whose value does not
 * exist]}. `filter` is the resource's filter struct below. */
typedef tp_rc (*tp_page_fn)(struct tp_db *db, const void *filter, long limit, long offset,
                            json_t **page);

/* Takes one row of a streamed read: `values` holds its `n` columns as text
 * (NULL for SQL NULL), valid during the call only. Non-zero (out of memory)
 * stops the rows. */
#define TP_ROW_MAX_COLUMNS 16
typedef int (*tp_row_fn)(void *arg, int n, const char *const *values);

/* A single-item query by key: TP_ERR_NOT_FOUND when absent. */
typedef tp_rc (*tp_item_fn)(struct tp_db *db, const char *key, json_t **doc);

/* Optional filters: NULL strings and -1 booleans mean "not given". */
struct tp_rollen_filter {
  const char *familie;
  int kernrol;
  const char *zoek;
};

struct tp_zoek_filter {
  const char *zoek;
};

struct tp_gemeenten_filter {
  const char *provincie;
  int referentie;
  long grootteklasse; /* 0: not given */
  const char *zoek;
};

tp_rc tp_repo_rolfamilies_page(struct tp_db *db, const void *filter, long limit, long offset,
                               json_t **page);
tp_rc tp_repo_rollen_page(struct tp_db *db, const void *filter, long limit, long offset,
                          json_t **page);
tp_rc tp_repo_rol(struct tp_db *db, const char *code, json_t **doc);
tp_rc tp_repo_rolfamilie(struct tp_db *db, const char *code, json_t **doc);
tp_rc tp_repo_competenties_page(struct tp_db *db, const void *filter, long limit, long offset,
                                json_t **page);
tp_rc tp_repo_competentie(struct tp_db *db, const char *code, json_t **doc);
tp_rc tp_repo_succesfactoren_page(struct tp_db *db, const void *filter, long limit, long offset,
                                  json_t **page);
tp_rc tp_repo_succesfactor(struct tp_db *db, const char *code, json_t **doc);
tp_rc tp_repo_gemeenten_page(struct tp_db *db, const void *filter, long limit, long offset,
                             json_t **page);
tp_rc tp_repo_gemeente(struct tp_db *db, const char *code, json_t **doc);
tp_rc tp_repo_succesverhalen_page(struct tp_db *db, const void *filter, long limit, long offset,
                                  json_t **page);
tp_rc tp_repo_succesverhaal(struct tp_db *db, const char *gemeente, json_t **doc);
tp_rc tp_repo_bronnen_page(struct tp_db *db, const void *filter, long limit, long offset,
                           json_t **page);
tp_rc tp_repo_teamprofiel(struct tp_db *db, const char *uuid, json_t **doc);


/* --- writes and lookups for team profiles and clients ------------------- */

/* {"gemeenten": [...], "rollen": [...], "competenties": [...]}: every known
 * code, each list sorted in byte order (as strcmp). */
tp_rc tp_repo_known_codes(struct tp_db *db, json_t **out);

/* Who changes a profile, for the audit trail. */
struct tp_change {
  const char *client_id;
  const char *toelichting; /* X-Audit-Toelichting, may be NULL */
};

/* The Idempotency-Key of a create (IETF httpapi draft "The
 * Idempotency-Key HTTP Header Field"): one request of one client. */
#define TP_IDEMPOTENCY_KEY_MAX 255
struct tp_idempotency {
  const char *key;         /* the key's content, 1 to TP_IDEMPOTENCY_KEY_MAX characters */
  const char *fingerprint; /* SHA-256 (hex) of the request body as sent */
};

/* What a create found under its key. */
enum tp_key_state {
  TP_KEY_NEW,        /* no live record (or no key): the create ran now */
  TP_KEY_REPLAYED,   /* the answer to an earlier request with this key and body */
  TP_KEY_RUNNING,    /* a request with this key is still running */
  TP_KEY_OTHER_BODY, /* this key came with another body within 24 hours */
};

/* The answer to a create, as sent and as kept under its key. The caller
 * fills status, uuid (of the new profile) and location; the repo fills the
 * rest, or, for a replay, all of it from the record. */
struct tp_created {
  int status;
  char uuid[37];
  char location[96];
  char etag[TP_ETAG_LEN + 1];
  char *body; /* the profile as JSON text (tp_json_render); free() */
  enum tp_key_state key_state;
};

/* Stores a validated profile body as new profile out->uuid in one
 * transaction with its audit entry and, with a `key` (may be NULL), the
 * record of the key with the answer. TP_OK: out->body holds the answer
 * (a new one, or with TP_KEY_REPLAYED the stored one: nothing was written).
 * TP_ERR_CONFLICT with TP_KEY_RUNNING or TP_KEY_OTHER_BODY: nothing was
 * written. TP_ERR_OUTCOME_UNKNOWN (as for every write below) when the
 * COMMIT was sent but never confirmed: the write, key record included, may
 * or may not be stored. */
tp_rc tp_repo_teamprofiel_create(struct tp_db *db, const json_t *body, const struct tp_change *who,
                                 const struct tp_idempotency *key, struct tp_created *out);

/* Deletes at most `limit` (1 to TP_IDEMPOTENCY_PURGE_MAX) expired
 * Idempotency-Key records, oldest first, in one statement; *purged
 * receives how many. Live records are never touched; records another
 * transaction holds are skipped, not waited for. TP_ERR_PARAM for a limit
 * out of range. */
#define TP_IDEMPOTENCY_PURGE_MAX 10000
tp_rc tp_repo_idempotency_purge(struct tp_db *db, long limit, long *purged);

/* Replaces profile `uuid` when `if_match` (an If-Match value: tags or "*")
 * names its current ETag, in one transaction with its audit entry.
 * TP_ERR_NOT_FOUND when absent, TP_ERR_PRECONDITION when the ETag is
 * stale, TP_ERR_CONFLICT when a constraint refuses the data. *doc receives
 * the new document. */
tp_rc tp_repo_teamprofiel_replace(struct tp_db *db, const char *uuid, const char *if_match,
                                  const json_t *body, const struct tp_change *who, json_t **doc);

/* Deletes profile `uuid` under the same rules as replace. */
tp_rc tp_repo_teamprofiel_delete(struct tp_db *db, const char *uuid, const char *if_match,
                                 const struct tp_change *who);

/* The municipality of the newest audit entry of profile `uuid` (a JSON
 * string); TP_ERR_NOT_FOUND when the profile has no trail. */
tp_rc tp_repo_audittrail_gemeente(struct tp_db *db, const char *uuid, json_t **out);

/* The audit trail of a profile (also after deletion), oldest first:
 * {count, results, onbekend: []} as a page query keyed by `uuid`. */
tp_rc tp_repo_audittrail_page(struct tp_db *db, const void *uuid, long limit, long offset,
                              json_t **page);

/* Audit rows a statement of tp_repo_audittrail_purge deletes at most. */
#define TP_AUDIT_PURGE_BATCH 1000

/* Deletes the audit rows (of every profile) older than `days` days, oldest
 * first, at most `max_rows` of them (0: all). Each statement deletes at
 * most TP_AUDIT_PURGE_BATCH rows in a transaction of its own and skips
 * rows another transaction holds, so it never holds locks for long; call
 * it outside a transaction. `days` 0 deletes nothing. *purged: how many
 * went, also when a later statement failed. */
tp_rc tp_repo_audittrail_purge(struct tp_db *db, unsigned days, unsigned long max_rows,
                               unsigned long *purged);

/* Erases the content of profile `uuid`'s audit trail in one transaction:
 * the profile before and after and the note of each row become NULL; who,
 * what, when and the result stay. When there was content, one row with
 * action `erase` and no content, by `client_id`, records that. The answers
 * kept for idempotency keys of the profile (they hold it as created) are
 * deleted. *out: {"gewist": rows whose content went, "sleutels": kept
 * answers deleted, "profielBestaat": whether the profile itself still
 * exists}. TP_ERR_NOT_FOUND when the profile has no audit trail. */
tp_rc tp_repo_audittrail_erase(struct tp_db *db, const char *uuid, const char *client_id,
                               json_t **out);

struct tp_teamprofielen_query {
  int referentie;             /* -1: both */
  const char *gemeente;       /* NULL: any */
  const char *vanaf, *tot;    /* peildatum bounds, NULL: open */
  int alle_gemeenten;         /* the caller may see every municipality */
  const json_t *gemeenten;    /* else: the codes it may see (array) */
};

/* Profiles visible to a caller: reference profiles plus those of its
 * municipalities, filtered. `filter` is a struct tp_teamprofielen_query. */
tp_rc tp_repo_teamprofielen_page(struct tp_db *db, const void *filter, long limit, long offset,
                                 json_t **page);

/* {"referentiegemeenten": [...], "bronnen": [...]}: the codes of the
 * reference municipalities and every source id, sorted in byte order. */
tp_rc tp_repo_reference_codes(struct tp_db *db, json_t **out);

/* Replaces every reference profile by `profielen` (validated import
 * profiles), profile i stored under uuids[i], in one transaction. */
tp_rc tp_repo_reference_replace(struct tp_db *db, const json_t *profielen,
                                const char *const *uuids);

/* Everything a gap analysis needs besides the team:
 * {"catalogusVersie", "rollen": [role documents in catalogue order],
 *  "referenties": [{gemeente, teamprofiel, herkomst, inwoners, leden}]}. */
tp_rc tp_repo_analysis_inputs(struct tp_db *db, json_t **out);

/* Everything the in-memory snapshot holds, read in one consistent
 * (repeatable-read) transaction: {"versie", "inputs" (as
 * tp_repo_analysis_inputs), "codes" (as tp_repo_known_codes),
 * "gemeenten": {code: {code, naam, inwoners, grootteklasse}}}. */
tp_rc tp_repo_snapshot(struct tp_db *db, json_t **out);

/* The snapshot version in the database, as a JSON integer. */
tp_rc tp_repo_snapshot_version(struct tp_db *db, json_t **out);

/* A client as {"id","secret","scopes":[],"gemeenten":[],"alleGemeenten",
 * "ingetrokken"}; TP_ERR_NOT_FOUND when unknown. Holds the secret: never
 * render it. */
tp_rc tp_repo_client(struct tp_db *db, const char *id, json_t **out);
/* tp_repo_client on a connection of `pool`, taken and given back. */
tp_rc tp_repo_client_pooled(struct tp_pool *pool, const char *id, json_t **out);

/* Adds a client; TP_ERR_CONFLICT when the id exists, TP_ERR_PARAM when a
 * municipality code does not exist. `scopes` and `gemeenten` are arrays. */
tp_rc tp_repo_client_add(struct tp_db *db, const char *id, const char *secret,
                         const json_t *scopes, const json_t *gemeenten, int alle_gemeenten);

/* Every client without secrets, ordered by id. */
tp_rc tp_repo_clients_list(struct tp_db *db, json_t **out);

/* Marks a client revoked; TP_ERR_NOT_FOUND when unknown. */
tp_rc tp_repo_client_revoke(struct tp_db *db, const char *id);

/* --- catalogue management (catalogusbeheer_repo.c) ---------------------- */
/* Each write takes the catalogue writers' lock, runs in one transaction
 * and, when it changed anything, records a new catalogue version with one
 * audit row per changed document; *versie receives that version's
 * document, or NULL when nothing changed. */

/* {"rolfamilies","competenties","bronnen","bronUrls","gemeenten"}: what
 * catalogue content may refer to, each sorted in byte order. */
tp_rc tp_repo_catalogus_refs(struct tp_db *db, json_t **out);

/* Stores validated document `doc` as entry `code` of `soort`. With
 * `if_match` the entry must exist (TP_ERR_NOT_FOUND) and have that ETag
 * (TP_ERR_PRECONDITION); with NULL it must not exist
 * (TP_ERR_PRECONDITION). *stored receives the stored document. */
tp_rc tp_repo_catalogus_put(struct tp_db *db, enum tp_catalogus_soort soort, const char *code,
                            const char *if_match, const json_t *doc, const struct tp_change *who,
                            json_t **stored, json_t **versie);

/* Takes entry `code` out of the catalogue under the same If-Match rules.
 * TP_ERR_CONFLICT while it is in use, with *gebruik =
 * {"teamprofielen": n, "rollen": [codes]} saying by what. */
tp_rc tp_repo_catalogus_delete(struct tp_db *db, enum tp_catalogus_soort soort, const char *code,
                               const char *if_match, const struct tp_change *who, json_t **gebruik,
                               json_t **versie);

/* Replaces the content of a validated import file. Entries the file
 * leaves out are deleted, or marked vervallen while something still
 * refers to them. TP_ERR_PARAM with violations added to `invalid` when
 * the file conflicts with the database (a version name already used). */
tp_rc tp_repo_catalogus_import(struct tp_db *db, enum tp_catalogus_bestand bestand,
                               const json_t *file, const struct tp_change *who, json_t *invalid,
                               json_t **versie);

/* The catalogue versions, newest first; one version by name; the changes
 * of a version (`versie` is its name) in the order they were recorded. */
tp_rc tp_repo_catalogusversies_page(struct tp_db *db, const void *filter, long limit, long offset,
                                    json_t **page);
tp_rc tp_repo_catalogusversie(struct tp_db *db, const char *versie, json_t **doc);
tp_rc tp_repo_catalogus_wijzigingen_page(struct tp_db *db, const void *versie, long limit,
                                         long offset, json_t **page);

#endif

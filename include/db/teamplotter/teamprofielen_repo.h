#ifndef TEAMPLOTTER_TEAMPROFIELEN_REPO_H
#define TEAMPLOTTER_TEAMPROFIELEN_REPO_H

/* Team profiles: reads, writes with their audit trail and idempotency
 * keys, the reference profiles, the known codes (teamprofielen_repo.c). */

#include <jansson.h>

#include "teamplotter/render.h"
#include "teamplotter/repo.h"

tp_rc tp_repo_teamprofiel(struct tp_db *db, const char *uuid, json_t **doc);

/* {"gemeenten": [...], "rollen": [...], "competenties": [...]}: every known
 * code, each list sorted in byte order (as strcmp). */
tp_rc tp_repo_known_codes(struct tp_db *db, json_t **out);

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
tp_rc tp_repo_referentie_codes(struct tp_db *db, json_t **out);

/* Where a reference set comes from, for its version (all borrowed). */
struct tp_referentie_bron {
  const char *versie;      /* the file's name for it; NULL: YYYY-MM-DD.N of today */
  const char *bron;        /* the file's `bron`, else its file name */
  const char *toelichting; /* may be NULL */
};

/* Replaces every reference profile by `profielen` (validated import
 * profiles), profile i stored under uuids[i], and records the difference
 * as a new reference-set version, in one transaction. *versie receives the
 * new version's document (as GET /referentieversies/{versie}; new
 * reference), or NULL when the set did not change. */
tp_rc tp_repo_referenties_replace(struct tp_db *db, const json_t *profielen,
                                  const char *const *uuids, const struct tp_referentie_bron *bron,
                                  json_t **versie);

#endif

/* Writing the catalogue: PUT and DELETE of roles, competencies, role
 * families and success factors, shared by their resource files. Each
 * write needs scope catalogus.beheren and a precondition, is validated
 * like an import, lands in one transaction with its audit rows and a new
 * catalogue version, and is visible on this replica when it is answered. */
#include <stdio.h>
#include <string.h>

#include "catalogusbeheer.h"
#include "change.h"
#include "collection.h"

#include "teamplotter/app.h"
#include "teamplotter/auth.h"
#include "teamplotter/catalogusbeheer_repo.h"
#include "teamplotter/http.h"
#include "teamplotter/render.h"
#include "teamplotter/snapshot.h"

static const char SCOPE_BEHEREN[] = "catalogus.beheren";

static const struct {
  const char *what;       /* "Deze rol", for messages */
  const char *collection; /* for Location */
} NAMES[] = {
    [TP_CAT_ROL] = {"Deze rol", "/api/v1/rollen"},
    [TP_CAT_COMPETENTIE] = {"Deze competentie", "/api/v1/competenties"},
    [TP_CAT_ROLFAMILIE] = {"Deze rolfamilie", "/api/v1/rolfamilies"},
    [TP_CAT_SUCCESFACTOR] = {"Deze succesfactor", "/api/v1/succesfactoren"},
    [TP_CAT_SUCCESVERHAAL] = {"Dit succesverhaal", "/api/v1/succesverhalen"},
};

static int blank(const char *header) {
  return header == NULL || header[strspn(header, " \t")] == '\0';
}

/* Token, scope, audit note and no query parameters: the principal into
 * *principal, or TP_ANSWERED. */
static tp_step manager(struct tp_ctx *ctx, struct tp_change *who, json_t **principal) {
  if (tp_auth_require(ctx, SCOPE_BEHEREN, principal) == TP_ANSWERED) return TP_ANSWERED;
  if (tp_api_change_of(ctx, *principal, who) == TP_ANSWERED ||
      tp_no_query(ctx) == TP_ANSWERED) {
    json_decref(*principal);
    *principal = NULL;
    return TP_ANSWERED;
  }
  return TP_GO_ON;
}

static tp_rc fetch_refs(struct tp_db *db, const char *unused, json_t **out) {
  (void)unused;
  return tp_repo_catalogus_refs(db, out);
}

/* Validates the body of entry `code` against what the database holds now,
 * or TP_ANSWERED when it is refused (or could not be checked). */
static tp_step validate(struct tp_ctx *ctx, enum tp_catalogus_soort soort, const char *code,
                    const json_t *body) {
  json_t *codes = NULL;
  struct tp_catalogus_refs refs;
  tp_rc rc = tp_api_fetch(ctx, fetch_refs, NULL, &codes);
  if (rc == TP_OK && tp_catalogus_refs_from_json(codes, &refs) != 0) rc = TP_ERR_NOMEM;
  if (rc != TP_OK) {
    tp_problem_rc(ctx, rc, "De catalogus");
    json_decref(codes);
    return TP_ANSWERED;
  }
  struct tp_params report = {.invalid = json_array()};
  int ok = report.invalid != NULL;
  if (ok) tp_catalogus_validate(soort, body, code, &refs, "", report.invalid);
  if (!ok) {
    tp_problem_rc(ctx, TP_ERR_NOMEM, "");
  } else if (json_array_size(report.invalid) > 0) {
    tp_problem_params(ctx, &report);
    ok = 0;
  }
  json_decref(report.invalid);
  tp_catalogus_refs_free(&refs);
  json_decref(codes);
  return ok ? TP_GO_ON : TP_ANSWERED;
}

/* This replica serves the new version before the writer hears of it;
 * should the reload fail, the listener picks the version up within a
 * second. */
static void refresh(struct tp_ctx *ctx) { (void)tp_snapshots_refresh(ctx->app->snapshots); }

void tp_api_catalogus_put(struct tp_ctx *ctx, enum tp_catalogus_soort soort) {
  struct tp_change who;
  json_t *body = NULL, *stored = NULL, *versie = NULL;
  const char *code = tp_path_var(ctx, 0);
  const char *if_match = tp_header(ctx, "If-Match");
  const char *if_none_match = tp_header(ctx, "If-None-Match");
  int create = blank(if_match);
  json_t *principal = NULL;
  if (manager(ctx, &who, &principal) == TP_ANSWERED) return;
  /* Only "*" as the whole field creates; a list of tags or a malformed
   * field is no precondition this PUT can act on. */
  if (create && tp_etag_field_kind(if_none_match) != TP_ETAG_FIELD_ANY) {
    tp_problem(ctx, 428, NULL,
               "Stuur If-Match met de ETag van wat u wijzigt, of If-None-Match: * (alleen een "
               "ster) om iets nieuws aan te maken.");
    goto done;
  }
  if (tp_body_json(ctx, &body) == TP_ANSWERED ||
      validate(ctx, soort, code, body) == TP_ANSWERED) {
    goto done;
  }
  /* The path names the entry; the body may leave its code out. */
  json_object_set_new(body, soort == TP_CAT_SUCCESVERHAAL ? "gemeente" : "code",
                      json_string(code));
  struct tp_db *db = NULL;
  tp_rc rc = tp_pool_acquire(ctx->app->pool, &db);
  if (rc == TP_OK) {
    rc = tp_repo_catalogus_put(db, soort, code, create ? NULL : if_match, body, &who, &stored,
                               &versie);
  }
  tp_pool_release(ctx->app->pool, db);
  if (rc == TP_ERR_PRECONDITION && create) {
    tp_problem(ctx, 412, NULL, "%s bestaat al; stuur If-Match met de ETag om haar te wijzigen.",
               NAMES[soort].what);
  } else if (rc != TP_OK) {
    tp_problem_rc(ctx, rc, NAMES[soort].what);
  } else {
    refresh(ctx);
    if (create) {
      char location[256];
      snprintf(location, sizeof(location), "%s/%s", NAMES[soort].collection, code);
      tp_set_header(ctx, "Location", location);
    }
    tp_respond_json(ctx, create ? 201 : 200, stored);
  }
done:
  json_decref(versie);
  json_decref(stored);
  json_decref(body);
  json_decref(principal);
}

/* The 409 for an entry still in use, saying by what. */
static void in_use(struct tp_ctx *ctx, enum tp_catalogus_soort soort, const json_t *gebruik) {
  json_int_t profielen = json_integer_value(json_object_get(gebruik, "teamprofielen"));
  const json_t *rollen = json_object_get(gebruik, "rollen");
  char list[512] = "";
  size_t i;
  json_t *r;
  json_array_foreach((json_t *)rollen, i, r) {
    size_t len = strlen(list);
    if (i == 8) {
      snprintf(list + len, sizeof(list) - len, ", …");
      break;
    }
    snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "", json_string_value(r));
  }
  if (profielen > 0 && json_array_size(rollen) > 0) {
    tp_problem(ctx, 409, "in-gebruik",
               "%s is nog in gebruik: bij %lld teamprofiel(en) en bij de rollen %s.",
               NAMES[soort].what, (long long)profielen, list);
  } else if (profielen > 0) {
    tp_problem(ctx, 409, "in-gebruik",
               "%s is nog in gebruik bij %lld teamprofiel(en); haal haar daar eerst weg.",
               NAMES[soort].what, (long long)profielen);
  } else {
    tp_problem(ctx, 409, "in-gebruik", "%s is nog in gebruik bij de rollen %s.",
               NAMES[soort].what, list);
  }
}

void tp_api_catalogus_delete(struct tp_ctx *ctx, enum tp_catalogus_soort soort) {
  struct tp_change who;
  json_t *gebruik = NULL, *versie = NULL;
  const char *if_match = tp_header(ctx, "If-Match");
  json_t *principal = NULL;
  if (manager(ctx, &who, &principal) == TP_ANSWERED) return;
  if (blank(if_match)) {
    tp_problem(ctx, 428, NULL, "Stuur If-Match met de ETag van wat u verwijdert.");
  } else {
    struct tp_db *db = NULL;
    tp_rc rc = tp_pool_acquire(ctx->app->pool, &db);
    if (rc == TP_OK) {
      rc = tp_repo_catalogus_delete(db, soort, tp_path_var(ctx, 0), if_match, &who, &gebruik,
                                    &versie);
    }
    tp_pool_release(ctx->app->pool, db);
    if (rc == TP_ERR_CONFLICT && gebruik != NULL) {
      in_use(ctx, soort, gebruik);
    } else if (rc != TP_OK) {
      tp_problem_rc(ctx, rc, NAMES[soort].what);
    } else {
      refresh(ctx);
      tp_respond_empty(ctx, 204);
    }
  }
  json_decref(gebruik);
  json_decref(versie);
  json_decref(principal);
}

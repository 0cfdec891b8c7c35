/* Catalogue management: writes of roles, competencies, role families,
 * success factors and success stories, each in one transaction that
 * records a new catalogue version with what changed (the SQL functions of
 * migration 0006), and the version history. */
#include <stdlib.h>
#include <string.h>

#include "teamplotter/catalogusbeheer_repo.h"

#include "pg.h"

#include "teamplotter/render.h"
#include "teamplotter/repo.h"

/* The read model and the writer of each kind, by enum tp_catalogus_soort. */
static const struct {
  const char *read; /* SELECT doc by code */
  const char *save; /* stores $1 (a document), keeping or appending its position */
} KINDS[] = {
    [TP_CAT_ROL] = {"SELECT doc::text FROM api_rollen WHERE code = $1",
                    "SELECT rol_opslaan($1::json, NULL)"},
    [TP_CAT_COMPETENTIE] = {"SELECT doc::text FROM api_competenties WHERE code = $1",
                            "SELECT competentie_opslaan($1::json, NULL)"},
    [TP_CAT_ROLFAMILIE] = {"SELECT doc::text FROM api_rolfamilies WHERE code = $1",
                           "SELECT rolfamilie_opslaan($1::json, NULL)"},
    [TP_CAT_SUCCESFACTOR] = {"SELECT doc::text FROM api_succesfactoren WHERE code = $1",
                             "SELECT succesfactor_opslaan($1::json, NULL)"},
    [TP_CAT_SUCCESVERHAAL] = {"SELECT doc::text FROM api_succesverhalen WHERE gemeente = $1",
                              "SELECT succesverhaal_opslaan($1::json)"},
};

tp_rc tp_repo_catalogus_refs(struct tp_db *db, json_t **out) {
  return tp_db_json(
      db,
      "SELECT json_build_object("
      "'rolfamilies', (SELECT coalesce(json_agg(code ORDER BY code COLLATE \"C\"), '[]')"
      "  FROM rolfamilies WHERE NOT vervallen),"
      "'competenties', (SELECT coalesce(json_agg(code ORDER BY code COLLATE \"C\"), '[]')"
      "  FROM competenties WHERE NOT vervallen),"
      "'bronnen', (SELECT coalesce(json_agg(id ORDER BY id COLLATE \"C\"), '[]') FROM bronnen),"
      "'bronUrls', (SELECT coalesce(json_agg(url ORDER BY url COLLATE \"C\"), '[]') FROM bronnen),"
      "'gemeenten', (SELECT json_agg(code ORDER BY code COLLATE \"C\") FROM gemeenten))::text",
      0, NULL, out);
}

/* A catalogue change: `apply` (the writes) in one transaction with the
 * writers' lock, the state before and, when anything changed, a new
 * version, whose document *versie receives (NULL when nothing changed). */
struct change {
  tp_db_work apply;
  void *arg;
  const struct tp_change *who;
  const char *bron, *versie_naam, *schaal_bron;
  json_t **versie;
};

static tp_rc change_in(struct tp_db *db, void *arg) {
  const struct change *c = arg;
  json_t *state = NULL;
  char *before = NULL;
  json_decref(*c->versie);
  *c->versie = NULL;
  tp_rc rc = tp_db_json(db, "SELECT catalogus_begin()::text", 0, NULL, &state);
  if (rc == TP_OK && (before = tp_json_render(state)) == NULL) rc = TP_ERR_NOMEM;
  json_decref(state);
  if (rc == TP_OK) rc = c->apply(db, c->arg);
  if (rc == TP_OK) {
    const char *params[] = {before, c->who->client_id, c->who->toelichting, c->bron,
                            c->versie_naam, c->schaal_bron};
    rc = tp_db_json(db, "SELECT catalogus_vastleggen($1::json, $2, $3, $4, $5, $6)::text", 6,
                    params, c->versie);
    if (rc == TP_ERR_NOT_FOUND) rc = TP_OK; /* nothing changed */
  }
  free(before);
  return rc;
}

static tp_rc run_change(struct tp_db *db, struct change *c) {
  *c->versie = NULL;
  tp_rc rc = tp_db_transaction(db, change_in, c);
  if (rc != TP_OK) {
    json_decref(*c->versie);
    *c->versie = NULL;
  }
  return rc;
}

/* Checks the preconditions of a write on the current document of `code`:
 * with `if_match` it must exist and carry that ETag; without, it must not
 * exist (If-None-Match: *). *current receives it when it exists. */
static tp_rc check_current(struct tp_db *db, enum tp_catalogus_soort soort, const char *code,
                           const char *if_match, json_t **current) {
  const char *params[] = {code};
  tp_rc rc = tp_db_json(db, KINDS[soort].read, 1, params, current);
  if (rc == TP_ERR_NOT_FOUND) return if_match ? TP_ERR_NOT_FOUND : TP_OK;
  if (rc != TP_OK) return rc;
  if (if_match == NULL) return TP_ERR_PRECONDITION;
  char etag[TP_ETAG_LEN + 1];
  if (tp_etag_of_json(*current, etag) != 0) return TP_ERR_NOMEM;
  return tp_etag_list_has(if_match, etag, 0) ? TP_OK : TP_ERR_PRECONDITION;
}

struct entry {
  enum tp_catalogus_soort soort;
  const char *code, *if_match;
  const char *text; /* PUT: the document as JSON text */
  json_t **out;     /* PUT: the stored document; DELETE: what still uses it */
};

static tp_rc put_in(struct tp_db *db, void *arg) {
  const struct entry *e = arg;
  json_t *current = NULL;
  json_decref(*e->out);
  *e->out = NULL;
  tp_rc rc = check_current(db, e->soort, e->code, e->if_match, &current);
  const char *save_params[] = {e->text};
  if (rc == TP_OK) rc = tp_db_run(db, KINDS[e->soort].save, 1, save_params);
  const char *read_params[] = {e->code};
  if (rc == TP_OK) rc = tp_db_json(db, KINDS[e->soort].read, 1, read_params, e->out);
  json_decref(current);
  return rc;
}

tp_rc tp_repo_catalogus_put(struct tp_db *db, enum tp_catalogus_soort soort, const char *code,
                            const char *if_match, const json_t *doc, const struct tp_change *who,
                            json_t **stored, json_t **versie) {
  char *text = tp_json_render(doc);
  struct entry e = {soort, code, if_match, text, stored};
  struct change c = {put_in, &e, who, "api", NULL, NULL, versie};
  *stored = NULL;
  *versie = NULL;
  tp_rc rc = text ? run_change(db, &c) : TP_ERR_NOMEM;
  if (rc != TP_OK) {
    json_decref(*stored);
    *stored = NULL;
  }
  free(text);
  return rc;
}

static tp_rc delete_in(struct tp_db *db, void *arg) {
  const struct entry *e = arg;
  json_t *current = NULL;
  json_decref(*e->out);
  *e->out = NULL;
  tp_rc rc = check_current(db, e->soort, e->code, e->if_match, &current);
  const char *params[] = {tp_catalogus_soort_naam(e->soort), e->code};
  const char *code_only[] = {e->code};
  if (rc == TP_OK) {
    rc = tp_db_json(db, "SELECT catalogus_gebruik($1, $2)::text", 2, params, e->out);
  }
  int used = rc == TP_OK && (json_integer_value(json_object_get(*e->out, "teamprofielen")) > 0 ||
                             json_array_size(json_object_get(*e->out, "rollen")) > 0);
  /* *out only explains a refusal for being in use. */
  if (rc == TP_OK && !used) {
    json_decref(*e->out);
    *e->out = NULL;
  }
  if (used) rc = TP_ERR_CONFLICT;
  if (rc == TP_OK) {
    rc = e->soort == TP_CAT_SUCCESFACTOR
             ? tp_db_run(db, "DELETE FROM succesfactoren WHERE code = $1", 1, code_only)
             : tp_db_run(db, "SELECT catalogus_uitfaseren($1, json_build_array($2::text))", 2, params);
  }
  json_decref(current);
  return rc;
}

tp_rc tp_repo_catalogus_delete(struct tp_db *db, enum tp_catalogus_soort soort, const char *code,
                               const char *if_match, const struct tp_change *who, json_t **gebruik,
                               json_t **versie) {
  struct entry e = {soort, code, if_match, NULL, gebruik};
  struct change c = {delete_in, &e, who, "api", NULL, NULL, versie};
  *gebruik = NULL;
  return run_change(db, &c);
}

/* Whether version `naam` exists; a violation for `invalid` when it does. */
static tp_rc version_free(struct tp_db *db, const char *naam, json_t *invalid) {
  const char *params[] = {naam};
  json_t *found = NULL;
  tp_rc rc = tp_db_json(db, "SELECT to_json(id)::text FROM catalogus_versies WHERE versie = $1",
                        1, params, &found);
  json_decref(found);
  if (rc == TP_ERR_NOT_FOUND) return TP_OK;
  if (rc == TP_OK) {
    json_array_append_new(invalid, json_pack("{s:s, s:s, s:s}", "name", "versie", "code",
                                             "duplicate", "reason",
                                             "Deze catalogusversie bestaat al; kies een nieuwe."));
    rc = TP_ERR_PARAM;
  }
  return rc;
}

/* Stores the lists of a catalogue file in file order and takes what the
 * file leaves out out of the catalogue. */
static tp_rc import_catalogus(struct tp_db *db, const json_t *file, json_t *invalid) {
  const char *naam = json_string_value(json_object_get(file, "versie"));
  char *schaal = tp_json_render(json_object_get(file, "schaal"));
  char *families = tp_json_render(json_object_get(file, "families"));
  char *competenties = tp_json_render(json_object_get(file, "competenties"));
  char *rollen = tp_json_render(json_object_get(file, "rollen"));
  tp_rc rc = schaal && families && competenties && rollen ? version_free(db, naam, invalid)
                                                          : TP_ERR_NOMEM;
  const char *p_schaal[] = {schaal}, *p_fam[] = {families}, *p_comp[] = {competenties},
             *p_rol[] = {rollen};
  if (rc == TP_OK) {
    rc = tp_db_run(db, "SELECT niveau_opslaan(v) FROM json_array_elements($1::json) v", 1, p_schaal);
  }
  if (rc == TP_OK) {
    rc = tp_db_run(db,
              "SELECT rolfamilie_opslaan(x.v, (x.ord - 1)::integer)"
              " FROM json_array_elements($1::json) WITH ORDINALITY AS x(v, ord)",
              1, p_fam);
  }
  if (rc == TP_OK) {
    rc = tp_db_run(db,
              "SELECT competentie_opslaan(x.v, (x.ord - 1)::integer)"
              " FROM json_array_elements($1::json) WITH ORDINALITY AS x(v, ord)",
              1, p_comp);
  }
  if (rc == TP_OK) {
    rc = tp_db_run(db,
              "SELECT rol_opslaan(x.v, (x.ord - 1)::integer)"
              " FROM json_array_elements($1::json) WITH ORDINALITY AS x(v, ord)",
              1, p_rol);
  }
  /* Roles first: a role that goes frees its competencies and family. */
  if (rc == TP_OK) {
    rc = tp_db_run(db,
              "SELECT catalogus_uitfaseren('rol', coalesce(json_agg(code), '[]'))"
              " FROM rollen WHERE code NOT IN"
              " (SELECT v->>'code' FROM json_array_elements($1::json) v)",
              1, p_rol);
  }
  if (rc == TP_OK) {
    rc = tp_db_run(db,
              "SELECT catalogus_uitfaseren('competentie', coalesce(json_agg(code), '[]'))"
              " FROM competenties WHERE code NOT IN"
              " (SELECT v->>'code' FROM json_array_elements($1::json) v)",
              1, p_comp);
  }
  if (rc == TP_OK) {
    rc = tp_db_run(db,
              "SELECT catalogus_uitfaseren('rolfamilie', coalesce(json_agg(code), '[]'))"
              " FROM rolfamilies WHERE code NOT IN"
              " (SELECT v->>'code' FROM json_array_elements($1::json) v)",
              1, p_fam);
  }
  if (rc == TP_OK) rc = tp_db_run(db, "SELECT catalogus_hernummer_vervallen()", 0, NULL);
  free(schaal);
  free(families);
  free(competenties);
  free(rollen);
  return rc;
}

/* The success-content files: their list, and how an import removes what
 * the file leaves out and stores each entry in file order. */
static const struct {
  const char *key, *remove, *save;
} LISTS[] = {
    [TP_BESTAND_SUCCESFACTOREN] =
        {"succesfactoren",
         "DELETE FROM succesfactoren WHERE code NOT IN"
         " (SELECT v->>'code' FROM json_array_elements($1::json) v)",
         "SELECT succesfactor_opslaan(x.v, (x.ord - 1)::integer)"
         " FROM json_array_elements($1::json) WITH ORDINALITY AS x(v, ord)"},
    [TP_BESTAND_SUCCESVERHALEN] =
        {"succesverhalen",
         "DELETE FROM succesverhalen WHERE gemeente NOT IN"
         " (SELECT v->>'gemeente' FROM json_array_elements($1::json) v)",
         "SELECT succesverhaal_opslaan(v) FROM json_array_elements($1::json) v"},
};

static tp_rc import_list(struct tp_db *db, const json_t *file, enum tp_catalogus_bestand b) {
  char *list = tp_json_render(json_object_get(file, LISTS[b].key));
  const char *params[] = {list};
  tp_rc rc = list ? tp_db_run(db, LISTS[b].remove, 1, params) : TP_ERR_NOMEM;
  if (rc == TP_OK) rc = tp_db_run(db, LISTS[b].save, 1, params);
  free(list);
  return rc;
}

struct import {
  enum tp_catalogus_bestand bestand;
  const json_t *file;
  json_t *invalid;
};

static tp_rc import_in(struct tp_db *db, void *arg) {
  const struct import *im = arg;
  switch (im->bestand) {
  case TP_BESTAND_CATALOGUS:
    return import_catalogus(db, im->file, im->invalid);
  case TP_BESTAND_SUCCESFACTOREN:
  case TP_BESTAND_SUCCESVERHALEN:
    return import_list(db, im->file, im->bestand);
  }
  return TP_ERR_PARAM;
}

tp_rc tp_repo_catalogus_import(struct tp_db *db, enum tp_catalogus_bestand bestand,
                               const json_t *file, const struct tp_change *who, json_t *invalid,
                               json_t **versie) {
  struct import im = {bestand, file, invalid};
  struct tp_change import = *who;
  if (import.toelichting == NULL) {
    import.toelichting = json_string_value(json_object_get(file, "toelichting"));
  }
  int catalogus = bestand == TP_BESTAND_CATALOGUS;
  struct change c = {import_in,
                     &im,
                     &import,
                     "import",
                     catalogus ? json_string_value(json_object_get(file, "versie")) : NULL,
                     catalogus ? json_string_value(json_object_get(file, "schaalBron")) : NULL,
                     versie};
  /* Replacing a catalogue may read and write every row of it. */
  tp_db_set_deadline(db, 60000);
  return run_change(db, &c);
}

static const char VERSIES_PAGE[] = TP_PAGE_SQL(
    "SELECT id, doc FROM api_catalogusversies", "id DESC", "$1", "$2", TP_NONE_UNKNOWN);

tp_rc tp_repo_catalogusversies_page(struct tp_db *db, const void *filter, long limit, long offset,
                                    json_t **page) {
  (void)filter;
  const char *params[2];
  return tp_db_page(db, VERSIES_PAGE, 0, params, limit, offset, page);
}

tp_rc tp_repo_catalogusversie(struct tp_db *db, const char *versie, json_t **doc) {
  const char *params[] = {versie};
  return tp_db_json(db, "SELECT doc::text FROM api_catalogusversies WHERE versie = $1", 1, params,
                    doc);
}

static const char WIJZIGINGEN_PAGE[] = TP_PAGE_SQL(
    "SELECT w.id, w.doc FROM api_catalogus_wijzigingen w"
    " JOIN catalogus_versies v ON v.id = w.versie WHERE v.versie = $1",
    "id", "$2", "$3", TP_NONE_UNKNOWN);

tp_rc tp_repo_catalogus_wijzigingen_page(struct tp_db *db, const void *versie, long limit,
                                         long offset, json_t **page) {
  const char *params[3] = {versie};
  return tp_db_page(db, WIJZIGINGEN_PAGE, 1, params, limit, offset, page);
}

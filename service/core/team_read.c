/* The body of an anonymous gap analysis read straight into the analysis's
 * arrays (struct tp_gap_team), without a jansson document, when it is
 * plainly valid. Everything else goes the general way: tp_json_parse,
 * tp_team_validate and tp_gap_team_from_json, which also names what is
 * wrong. So this reader accepts a subset of what the general way accepts
 * and never reports a violation. Both decide with the rules of
 * team_rules.h; tests/unit/test_team_read.c and test_team_rules.c hold the
 * two against each other. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "teamplotter/parse.h"
#include "teamplotter/team.h"
#include "teamplotter/team_rules.h"

/* Which object or array the reader is in. */
enum place { P_START, P_TOP, P_LEDEN, P_MEMBER, P_ROLLEN, P_SHARE, P_COMPS, P_LEVEL, P_DONE };

/* More shares or levels than this in one member are checked for repeats
 * by the general way (which sorts); a real member has a handful. */
#define PAIRWISE_MAX 64

struct label {
  const char *text; /* in the body: it has no escapes */
  size_t len;
};

struct reader {
  yajl_handle handle;
  const char *body;
  size_t body_len;
  const struct tp_known *known;
  struct tp_team_read *out;
  size_t share_cap, level_cap, member_cap, label_cap;
  struct label *labels; /* one per member, for the repeat check */
  enum place place;
  int key;               /* the key whose value comes next */
  unsigned top_seen, member_seen, item_seen; /* keys met in the open objects */
  double sum;            /* the member's shares so far, in order */
  size_t end;            /* just past the document, once complete */
};

/* Stops yajl: the body goes the general way (so does one that meets a
 * failed allocation here). */
static int decline(void) { return 0; }

/* Whether every byte is printable ASCII or JSON whitespace: no escapes
 * (strings then lie in the body as they read), no UTF-8 to check, none of
 * the bytes the general reader handles specially (NUL, \v, \f). */
static int plain_text(const char *p, size_t len) {
  unsigned char bad = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)p[i];
    bad |= (unsigned char)((c < 0x20 && c != ' ' && c != '\t' && c != '\n' && c != '\r') ||
                           c > 0x7e || c == '\\');
  }
  return !bad;
}

_Static_assert(TP_TEAM_GEMEENTE_MAX <= TP_TEAM_CODE_MAX, "a gemeente code is a code");

/* `text` of `len` bytes (characters: the body is ASCII) as a code of at
 * most `max` characters in `codes` (the snapshot's own string, which
 * outlives the request), or NULL. */
static const char *known_code(const struct tp_codes *codes, const unsigned char *text,
                              size_t len, size_t max) {
  char code[TP_TEAM_CODE_MAX + 1];
  if (!tp_rule_text_fits(len, max) || len > TP_TEAM_CODE_MAX) return NULL;
  memcpy(code, text, len);
  code[len] = '\0';
  return tp_codes_find(codes, code);
}

/* Makes room for one more element of an array of `size`-byte elements. */
static int grow(void **v, size_t n, size_t *cap, size_t size) {
  if (n < *cap) return 1;
  size_t bigger = *cap ? 2 * *cap : 16;
  void *p = realloc(*v, bigger * size);
  if (p == NULL) return 0;
  *v = p;
  *cap = bigger;
  return 1;
}

/* An fte or a share. */
static int fte(const char *text, size_t len, double *out) {
  long long i;
  double d;
  int kind = tp_json_short_number(text, len, &i, &d);
  if (kind == 0) return 0;
  if (kind == 1) d = (double)i;
  *out = d;
  return tp_team_fte_ok(d);
}

/* An integer written without a fraction (as json_is_integer reads it). */
static int integer(const char *text, size_t len, long long *out) {
  double unused;
  return tp_json_short_number(text, len, out, &unused) == 1;
}

/* Marks key `bit` of the open object; a key met twice is declined. */
static int meet(unsigned *seen, int bit, int *key) {
  if (*seen & (1u << bit)) return 0;
  *seen |= 1u << bit;
  *key = bit;
  return 1;
}

/* A key of the open object: one of its fields (an unknown one is declined). */
static int on_key(void *ctx, const unsigned char *k, size_t len) {
  struct reader *r = ctx;
  const char *key = (const char *)k;
  int i;
  switch (r->place) {
    case P_TOP:
      i = tp_team_field(tp_team_analysis_fields, key, len);
      return i >= 0 && meet(&r->top_seen, i, &r->key);
    case P_MEMBER:
      i = tp_team_field(tp_team_lid_fields, key, len);
      return i >= 0 && meet(&r->member_seen, i, &r->key);
    case P_SHARE:
      i = tp_team_field(tp_team_rol_fields, key, len);
      return i >= 0 && meet(&r->item_seen, i, &r->key);
    case P_LEVEL:
      i = tp_team_field(tp_team_competentie_fields, key, len);
      return i >= 0 && meet(&r->item_seen, i, &r->key);
    default:
      return decline();
  }
}

static int on_start_map(void *ctx) {
  struct reader *r = ctx;
  struct tp_gap_team *t = &r->out->team;
  switch (r->place) {
    case P_START:
      r->place = P_TOP;
      return 1;
    case P_LEDEN: {
      if (!tp_team_size_ok(t->nleden + 1) ||
          !grow((void **)&t->leden, t->nleden, &r->member_cap, sizeof(*t->leden)) ||
          !grow((void **)&r->labels, t->nleden, &r->label_cap, sizeof(*r->labels))) {
        return decline();
      }
      t->leden[t->nleden] = (struct tp_gap_lid){0, t->naandelen, 0, t->ncompetenties, 0, NULL, 0};
      t->nleden++;
      r->member_seen = 0;
      r->sum = 0;
      r->place = P_MEMBER;
      return 1;
    }
    case P_ROLLEN:
      if (!grow((void **)&t->aandelen, t->naandelen, &r->share_cap, sizeof(*t->aandelen))) return 0;
      t->aandelen[t->naandelen++] = (struct tp_gap_aandeel){NULL, 0};
      t->leden[t->nleden - 1].naandelen++;
      r->item_seen = 0;
      r->place = P_SHARE;
      return 1;
    case P_COMPS:
      if (!grow((void **)&t->competenties, t->ncompetenties, &r->level_cap, sizeof(*t->competenties))) return 0;
      t->competenties[t->ncompetenties++] = (struct tp_gap_competentie){NULL, 0};
      t->leden[t->nleden - 1].ncompetenties++;
      r->item_seen = 0;
      r->place = P_LEVEL;
      return 1;
    default:
      return decline();
  }
}

static int on_start_array(void *ctx) {
  struct reader *r = ctx;
  if (r->place == P_TOP && r->key == TP_BODY_LEDEN) {
    r->place = P_LEDEN;
  } else if (r->place == P_MEMBER && r->key == TP_LID_ROLLEN) {
    r->place = P_ROLLEN;
  } else if (r->place == P_MEMBER && r->key == TP_LID_COMPETENTIES) {
    r->place = P_COMPS;
  } else {
    return decline();
  }
  return 1;
}

static int on_end_array(void *ctx) {
  struct reader *r = ctx;
  if (r->place == P_LEDEN) {
    r->place = P_TOP;
  } else if (r->place == P_ROLLEN || r->place == P_COMPS) {
    r->place = P_MEMBER;
  } else {
    return decline();
  }
  return 1;
}

/* Whether the last of the member's `n` codes (a slice of `v`) repeats one. */
static int repeats_last(const void *v, size_t stride, size_t first, size_t n) {
  if (n > PAIRWISE_MAX) return 1;
  const char *base = (const char *)v;
  const char *last = *(const char *const *)(base + (first + n - 1) * stride);
  for (size_t i = first; i + 1 < first + n; i++) {
    if (strcmp(*(const char *const *)(base + i * stride), last) == 0) return 1;
  }
  return 0;
}

static int on_end_map(void *ctx) {
  struct reader *r = ctx;
  struct tp_gap_team *t = &r->out->team;
  switch (r->place) {
    case P_SHARE: {
      const struct tp_gap_lid *m = &t->leden[t->nleden - 1];
      if ((r->item_seen & TP_TEAM_ROL_REQUIRED) != TP_TEAM_ROL_REQUIRED ||
          repeats_last(t->aandelen, sizeof(*t->aandelen), m->aandeel0, m->naandelen)) {
        return decline();
      }
      r->place = P_ROLLEN;
      return 1;
    }
    case P_LEVEL: {
      const struct tp_gap_lid *m = &t->leden[t->nleden - 1];
      if ((r->item_seen & TP_TEAM_COMPETENTIE_REQUIRED) != TP_TEAM_COMPETENTIE_REQUIRED ||
          repeats_last(t->competenties, sizeof(*t->competenties), m->competentie0, m->ncompetenties)) {
        return decline();
      }
      r->place = P_COMPS;
      return 1;
    }
    case P_MEMBER: {
      const struct tp_gap_lid *m = &t->leden[t->nleden - 1];
      if ((r->member_seen & TP_TEAM_LID_REQUIRED) != TP_TEAM_LID_REQUIRED ||
          !tp_team_has_rollen(m->naandelen) || !tp_team_aandelen_match(r->sum, m->fte)) {
        return decline();
      }
      r->place = P_LEDEN;
      return 1;
    }
    case P_TOP: {
      unsigned has = r->top_seen;
      int what_if = (has >> TP_BODY_INWONERS) & 1, gemeente = (has >> TP_BODY_GEMEENTE) & 1;
      int peildatum = (has >> TP_BODY_PEILDATUM) & 1;
      if ((has & TP_TEAM_ANALYSIS_REQUIRED) != TP_TEAM_ANALYSIS_REQUIRED ||
          (!gemeente && tp_team_needs_gemeente(TP_TEAM_ANALYSE, what_if)) ||
          tp_team_conflicts(gemeente, what_if) ||
          (!peildatum && tp_team_needs_peildatum(TP_TEAM_ANALYSE))) {
        return decline();
      }
      r->place = P_DONE;
      r->end = yajl_get_bytes_consumed(r->handle);
      return 1;
    }
    default:
      return decline();
  }
}

static int on_string(void *ctx, const unsigned char *s, size_t len) {
  struct reader *r = ctx;
  struct tp_gap_team *t = &r->out->team;
  switch (r->place) {
    case P_TOP:
      if (r->key == TP_BODY_GEMEENTE) {
        t->gemeente = known_code(&r->known->gemeenten, s, len, TP_TEAM_GEMEENTE_MAX);
        return t->gemeente != NULL;
      }
      if (r->key == TP_BODY_PEILDATUM) {
        char datum[TP_TEAM_PEILDATUM_MAX + 1];
        if (!tp_rule_text_fits(len, TP_TEAM_PEILDATUM_MAX)) return decline();
        memcpy(datum, s, len);
        datum[len] = '\0';
        return tp_is_date(datum);
      }
      return decline();
    case P_MEMBER: {
      const char *text = (const char *)s;
      /* yajl hands out strings without escapes where they lie in the body */
      if (r->key != TP_LID_LABEL || !tp_rule_text_fits(len, TP_TEAM_LABEL_MAX) || text < r->body ||
          text + len > r->body + r->body_len) {
        return decline();
      }
      for (size_t i = 0; i < len; i++) {
        if ((unsigned char)text[i] < 0x20) return decline(); /* a raw tab: not JSON */
      }
      r->labels[t->nleden - 1] = (struct label){text, len};
      t->leden[t->nleden - 1].label = text; /* plain: nothing to escape */
      t->leden[t->nleden - 1].label_len = len;
      return 1;
    }
    case P_SHARE:
      if (r->key != TP_ROL_ROL) return decline();
      t->aandelen[t->naandelen - 1].rol = known_code(&r->known->rollen, s, len, TP_TEAM_CODE_MAX);
      return t->aandelen[t->naandelen - 1].rol != NULL;
    case P_LEVEL:
      if (r->key != TP_COMPETENTIE_CODE) return decline();
      t->competenties[t->ncompetenties - 1].code =
          known_code(&r->known->competenties, s, len, TP_TEAM_CODE_MAX);
      return t->competenties[t->ncompetenties - 1].code != NULL;
    default:
      return decline();
  }
}

static int on_number(void *ctx, const char *text, size_t len) {
  struct reader *r = ctx;
  struct tp_gap_team *t = &r->out->team;
  long long n;
  switch (r->place) {
    case P_TOP:
      if (r->key != TP_BODY_INWONERS || !integer(text, len, &n) || !tp_team_inwoners_ok(n)) {
        return decline();
      }
      r->out->inwoners = n;
      return 1;
    case P_MEMBER:
      return r->key == TP_LID_FTE && fte(text, len, &t->leden[t->nleden - 1].fte);
    case P_SHARE: {
      struct tp_gap_aandeel *share = &t->aandelen[t->naandelen - 1];
      if (r->key != TP_ROL_AANDEEL || !fte(text, len, &share->aandeel)) return decline();
      r->sum += share->aandeel;
      return 1;
    }
    case P_LEVEL:
      if (r->key != TP_COMPETENTIE_NIVEAU || !integer(text, len, &n) || !tp_team_niveau_ok(n)) {
        return decline();
      }
      t->competenties[t->ncompetenties - 1].niveau = (int)n;
      return 1;
    default:
      return decline();
  }
}

static int on_other(void *ctx) {
  (void)ctx;
  return decline(); /* null, true, false: never in a plain body */
}

static int on_boolean(void *ctx, int value) {
  (void)value;
  return on_other(ctx);
}

static const yajl_callbacks CALLBACKS = {
    .yajl_null = on_other,
    .yajl_boolean = on_boolean,
    .yajl_number = on_number,
    .yajl_string = on_string,
    .yajl_start_map = on_start_map,
    .yajl_map_key = on_key,
    .yajl_end_map = on_end_map,
    .yajl_start_array = on_start_array,
    .yajl_end_array = on_end_array,
};

static int cmp_label(const void *x, const void *y) {
  const struct label *a = x, *b = y;
  size_t n = a->len < b->len ? a->len : b->len;
  int c = memcmp(a->text, b->text, n);
  return c ? c : (a->len > b->len) - (a->len < b->len);
}

/* Whether two members share a label; sorts `labels`. */
static int labels_repeat(struct label *labels, size_t n) {
  if (n < 2) return 0;
  qsort(labels, n, sizeof(*labels), cmp_label);
  for (size_t i = 1; i < n; i++) {
    if (cmp_label(&labels[i - 1], &labels[i]) == 0) return 1;
  }
  return 0;
}

int tp_team_read_analysis(const char *body, size_t len, const struct tp_known *known,
                          struct tp_team_read *out) {
  memset(out, 0, sizeof(*out));
  if (len == 0 || !plain_text(body, len)) return 0;
  struct reader r = {.body = body, .body_len = len, .known = known, .out = out};
  r.handle = yajl_alloc(&CALLBACKS, NULL, &r);
  if (r.handle == NULL) return 0;
  yajl_status status = yajl_parse(r.handle, (const unsigned char *)body, len);
  if (status == yajl_status_ok) status = yajl_complete_parse(r.handle);
  int read = status == yajl_status_ok && r.place == P_DONE &&
             tp_json_only_whitespace(body + r.end, len - r.end);
  if (read && labels_repeat(r.labels, out->team.nleden)) read = 0;
  yajl_free(r.handle);
  free(r.labels);
  if (!read) {
    tp_gap_team_free(&out->team);
    memset(out, 0, sizeof(*out));
    return 0;
  }
  return 1;
}

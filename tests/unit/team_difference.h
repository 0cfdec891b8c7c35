#ifndef TEAMPLOTTER_TEST_TEAM_DIFFERENCE_H
#define TEAMPLOTTER_TEST_TEAM_DIFFERENCE_H

/* The first difference between two teams in the analysis's plain form
 * (struct tp_gap_team), for the tests that hold the plain reader of
 * analysis bodies against the general way (test_team_read, fuzz_team):
 * codes by value, numbers bit for bit, slices by position. NULL when the
 * teams are the same; `inwoners` is not compared (it is borrowed). */

#include <stdio.h>
#include <string.h>

#include "teamplotter/gap.h"

static int team_same_code(const char *a, const char *b) {
  return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static int team_same_real(double a, double b) {
  return memcmp(&a, &b, sizeof(a)) == 0;
}

__attribute__((unused)) static const char *team_difference(const struct tp_gap_team *a,
                                                           const struct tp_gap_team *b) {
  static _Thread_local char why[96];
  if (!team_same_code(a->gemeente, b->gemeente)) return "gemeente";
  if (a->nleden != b->nleden || a->naandelen != b->naandelen || a->ncompetenties != b->ncompetenties) {
    return "the number of members, shares or levels";
  }
  for (size_t i = 0; i < a->nleden; i++) {
    const struct tp_gap_lid *x = &a->leden[i], *y = &b->leden[i];
    if (!team_same_real(x->fte, y->fte) || x->aandeel0 != y->aandeel0 ||
        x->naandelen != y->naandelen || x->competentie0 != y->competentie0 || x->ncompetenties != y->ncompetenties) {
      snprintf(why, sizeof(why), "member %zu", i);
      return why;
    }
    /* The label, which the actions name (method 1.1), byte for byte. */
    if ((x->label == NULL) != (y->label == NULL) || x->label_len != y->label_len ||
        (x->label_len > 0 && memcmp(x->label, y->label, x->label_len) != 0)) {
      snprintf(why, sizeof(why), "the label of member %zu", i);
      return why;
    }
  }
  for (size_t i = 0; i < a->naandelen; i++) {
    if (!team_same_code(a->aandelen[i].rol, b->aandelen[i].rol) ||
        !team_same_real(a->aandelen[i].aandeel, b->aandelen[i].aandeel)) {
      snprintf(why, sizeof(why), "share %zu", i);
      return why;
    }
  }
  for (size_t i = 0; i < a->ncompetenties; i++) {
    if (!team_same_code(a->competenties[i].code, b->competenties[i].code) ||
        a->competenties[i].niveau != b->competenties[i].niveau) {
      snprintf(why, sizeof(why), "level %zu", i);
      return why;
    }
  }
  return NULL;
}

#endif

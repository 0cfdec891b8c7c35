#ifndef TEAMPLOTTER_TEST_GAP_FIXTURES_H
#define TEAMPLOTTER_TEST_GAP_FIXTURES_H

/* What the gap-analysis unit tests share: the catalogue, reference profiles
 * and a team in JSON with single quotes for J() (json_text.h), and a few
 * helpers. */

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "json_text.h"

/* Helpers of the tests that read analyses as documents; inline so that a
 * test using none of them compiles without warnings. */

#define TOL 1e-9

/* A document as compact text with its keys in order. */
static inline char *dump(const json_t *doc) {
  return json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
}

static inline double num(const json_t *obj, const char *key) {
  const json_t *v = json_object_get(obj, key);
  ck_assert_msg(json_is_number(v), "%s is not a number", key);
  return json_number_value(v);
}

static inline const char *str(const json_t *obj, const char *key) {
  const char *s = json_string_value(json_object_get(obj, key));
  ck_assert_msg(s != NULL, "%s is not a string", key);
  return s;
}

static const char *CATALOGUS =
    "[{'code':'verbinder','naam':'Verbinder','kernrol':true,'competenties':["
    "  {'code':'bestuur','naam':'B','niveau':3,'essentieel':true},"
    "  {'code':'verbinden','naam':'V','niveau':3,'essentieel':true},"
    "  {'code':'strategie','naam':'S','niveau':2,'essentieel':false}]},"
    " {'code':'communitymanager','naam':'Communitymanager','kernrol':true,'competenties':["
    "  {'code':'community','naam':'C','niveau':3,'essentieel':true}]},"
    " {'code':'webanalist','naam':'Webanalist','kernrol':false,'competenties':["
    "  {'code':'data','naam':'D','niveau':3,'essentieel':true},"
    "  {'code':'privacy','naam':'P','niveau':2,'essentieel':false}]},"
    " {'code':'eindredacteur','naam':'Eindredacteur','kernrol':false,'competenties':["
    "  {'code':'eindredactie','naam':'E','niveau':4,'essentieel':true}]},"
    " {'code':'webredacteur','naam':'Webredacteur','kernrol':false,'competenties':["
    "  {'code':'schrijven','naam':'S','niveau':3,'essentieel':true},"
    "  {'code':'taal','naam':'T','niveau':3,'essentieel':false}]},"
    " {'code':'webcare','naam':'Webcare','kernrol':false,'competenties':["
    "  {'code':'klantcontact','naam':'K','niveau':3,'essentieel':true}]},"
    " {'code':'pdc','naam':'PDC','kernrol':false,'competenties':["
    "  {'code':'producten','naam':'P','niveau':3,'essentieel':true},"
    "  {'code':'schrijven','naam':'S','niveau':3,'essentieel':false}]},"
    " {'code':'ux','naam':'UX','kernrol':false,'competenties':["
    "  {'code':'onderzoek','naam':'O','niveau':3,'essentieel':true}]},"
    " {'code':'toegankelijkheid','naam':'Toegankelijkheid','kernrol':false,'competenties':["
    "  {'code':'wcag','naam':'W','niveau':4,'essentieel':true}]}]";

/* Three references, equally spaced in ln N (ratio 4), totals 1, 2.5 and 4:
 * the fit is b = 0.5 exactly (see fit_noisy_three_points). Codes are chosen
 * so that code order (GM0001 B, GM0002 C, GM0003 A) differs from size order.
 *   A GM0003 N=10 000  T=1.0: verbinder .2, communitymanager .2, webredacteur .3,
 *                             webcare .2, eindredacteur .1
 *   B GM0001 N=40 000  T=2.5: verbinder .5, communitymanager .3, webredacteur .8,
 *                             eindredacteur .2, webcare .4, webanalist .2, pdc .1
 *   C GM0002 N=160 000 T=4.0: verbinder .8, communitymanager .4, webredacteur 1.2,
 *                             eindredacteur .2, webanalist .4, ux .8, pdc .2 (no webcare) */
#define REF_A                                                                              \
  "{'gemeente':'GM0003','teamprofiel':'aaaaaaaa-0000-4000-8000-000000000003',"            \
  "'herkomst':'schatting','inwoners':10000,'leden':["                                     \
  "{'label':'a1','fte':0.4,'rollen':[{'rol':'verbinder','aandeel':0.2},"                  \
  "{'rol':'communitymanager','aandeel':0.2}],'competenties':[]},"                         \
  "{'label':'a2','fte':0.6,'rollen':[{'rol':'webredacteur','aandeel':0.3},"               \
  "{'rol':'webcare','aandeel':0.2},{'rol':'eindredacteur','aandeel':0.1}],'competenties':[]}]}"
#define REF_B                                                                              \
  "{'gemeente':'GM0001','teamprofiel':'bbbbbbbb-0000-4000-8000-000000000001',"            \
  "'herkomst':'schatting','inwoners':40000,'leden':["                                     \
  "{'label':'b1','fte':0.8,'rollen':[{'rol':'verbinder','aandeel':0.5},"                  \
  "{'rol':'communitymanager','aandeel':0.3}],'competenties':[]},"                         \
  "{'label':'b2','fte':1.0,'rollen':[{'rol':'webredacteur','aandeel':0.8},"               \
  "{'rol':'eindredacteur','aandeel':0.2}],'competenties':[]},"                            \
  "{'label':'b3','fte':0.7,'rollen':[{'rol':'webcare','aandeel':0.4},"                    \
  "{'rol':'webanalist','aandeel':0.2},{'rol':'pdc','aandeel':0.1}],'competenties':[]}]}"
#define REF_C                                                                              \
  "{'gemeente':'GM0002','teamprofiel':'cccccccc-0000-4000-8000-000000000002',"            \
  "'herkomst':'publicatie','inwoners':160000,'leden':["                                   \
  "{'label':'c1','fte':1.2,'rollen':[{'rol':'verbinder','aandeel':0.8},"                  \
  "{'rol':'communitymanager','aandeel':0.4}],'competenties':[]},"                         \
  "{'label':'c2','fte':1.4,'rollen':[{'rol':'webredacteur','aandeel':1.2},"               \
  "{'rol':'eindredacteur','aandeel':0.2}],'competenties':[]},"                            \
  "{'label':'c3','fte':1.4,'rollen':[{'rol':'webanalist','aandeel':0.4},"                 \
  "{'rol':'ux','aandeel':0.8},{'rol':'pdc','aandeel':0.2}],'competenties':[]}]}"
#define REF_EMPTY                                                                          \
  "{'gemeente':'GM0004','teamprofiel':'dddddddd-0000-4000-8000-000000000004',"            \
  "'herkomst':'schatting','inwoners':20000,'leden':[]}"

/* The analysed team, 1.37 fte:
 *   Regisseur  .42: verbinder .42                       bestuur 3, verbinden 2, schrijven 4
 *   Redacteur  .65: webredacteur .5, pdc .15            schrijven 2, taal 2, producten 2
 *   Analist    .30: webanalist .05, pdc .15, toegankelijkheid .1
 *                                                       privacy 1, wcag 3, producten 3
 * Per role: verbinder .42, webanalist .05, webredacteur .5, pdc .3, toegankelijkheid .1. */
#define TEAM_LEDEN                                                                          \
  "[{'label':'Regisseur','fte':0.42,'rollen':[{'rol':'verbinder','aandeel':0.42}],"         \
  "'competenties':[{'code':'bestuur','niveau':3},{'code':'verbinden','niveau':2},"          \
  "{'code':'schrijven','niveau':4}]},"                                                      \
  "{'label':'Redacteur','fte':0.65,'rollen':[{'rol':'webredacteur','aandeel':0.5},"         \
  "{'rol':'pdc','aandeel':0.15}],'competenties':[{'code':'schrijven','niveau':2},"          \
  "{'code':'taal','niveau':2},{'code':'producten','niveau':2}]},"                           \
  "{'label':'Analist','fte':0.3,'rollen':[{'rol':'webanalist','aandeel':0.05},"             \
  "{'rol':'pdc','aandeel':0.15},{'rol':'toegankelijkheid','aandeel':0.1}],"                 \
  "'competenties':[{'code':'privacy','niveau':1},{'code':'wcag','niveau':3},"               \
  "{'code':'producten','niveau':3}]}]"

#endif

/* Who makes a change, for every audit trail: the client of the token and
 * the note of X-Audit-Toelichting. */
#include <string.h>

#include "change.h"

#include "teamplotter/http.h"
#include "teamplotter/text.h"

#define AUDIT_NOTE_MAX 1000

tp_step tp_api_change_of(struct tp_ctx *ctx, const json_t *principal, struct tp_change *who) {
  who->client_id = json_string_value(json_object_get(principal, "id"));
  who->toelichting = tp_header(ctx, "X-Audit-Toelichting");
  size_t len = who->toelichting ? strlen(who->toelichting) : 0;
  if (who->toelichting != NULL && !tp_utf8_valid(who->toelichting, len)) {
    tp_problem_invalid(ctx, "X-Audit-Toelichting", "invalid-encoding",
                       "De toelichting is geen geldige UTF-8-tekst.");
    return TP_ANSWERED;
  }
  if (who->toelichting != NULL && tp_utf8_chars(who->toelichting, len) > AUDIT_NOTE_MAX) {
    tp_problem_invalid(ctx, "X-Audit-Toelichting", "max-length",
                       "De toelichting is langer dan 1000 tekens.");
    return TP_ANSWERED;
  }
  return TP_GO_ON;
}

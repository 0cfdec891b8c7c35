#include "teamplotter/query.h"

#include "teamplotter/clock.h"
#include "teamplotter/team.h"
#include "teamplotter/text.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <orcania.h>

/* Longest query value kept; longer ones are an error, not a truncation. */
#define MAX_VALUE_BYTES 1024

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

char *tp_percent_decode(const char *s, size_t n, int plus_is_space, size_t *len) {
  char *out = o_malloc(n + 1);
  if (out == NULL) return NULL;
  size_t j = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '%') {
      int a = i + 2 < n ? hexval(s[i + 1]) : -1, b = i + 2 < n ? hexval(s[i + 2]) : -1;
      if (a < 0 || b < 0) {
        o_free(out);
        return NULL;
      }
      out[j++] = (char)(a * 16 + b);
      i += 2;
    } else if (s[i] == '+' && plus_is_space) {
      out[j++] = ' ';
    } else {
      out[j++] = s[i];
    }
  }
  out[j] = '\0';
  *len = j;
  return out;
}

/* Decodes a key or value; NULL when the encoding is broken, or the result
 * holds NUL or is not UTF-8. */
static char *decode(const char *s, size_t n) {
  size_t len;
  char *out = tp_percent_decode(s, n, 1, &len);
  if (out != NULL && (memchr(out, '\0', len) != NULL || !tp_utf8_valid(out, len))) {
    o_free(out);
    return NULL;
  }
  return out;
}

void tp_params_invalid(struct tp_params *params, const char *name, const char *code,
                       const char *reason) {
  json_array_append_new(params->invalid,
                        json_pack("{s:s, s:s, s:s}", "name", name, "code", code, "reason", reason));
}

void tp_params_parse(struct tp_params *params, const char *raw) {
  memset(params, 0, sizeof(*params));
  params->invalid = json_array();
  if (raw == NULL) return;
  const char *p = raw;
  while (*p) {
    const char *end = strchr(p, '&');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if (len > 0) {
      const char *eq = memchr(p, '=', len);
      size_t klen = eq ? (size_t)(eq - p) : len;
      char *key = decode(p, klen);
      char *value = eq ? decode(eq + 1, len - klen - 1) : o_strdup("");
      if (key == NULL || key[0] == '\0') {
        tp_params_invalid(params, "query", "invalid-encoding",
                          "De querystring bevat een parameter zonder geldige naam.");
        o_free(key);
        o_free(value);
      } else if (value == NULL) {
        tp_params_invalid(params, key, "invalid-encoding",
                          "De waarde is geen geldige procent-gecodeerde UTF-8-tekst.");
        o_free(key);
      } else if (strlen(value) > MAX_VALUE_BYTES) {
        tp_params_invalid(params, key, "max-length", "De waarde is langer dan 1024 bytes.");
        o_free(key);
        o_free(value);
      } else if (params->count == TP_QUERY_MAX_PARAMS) {
        o_free(key);
        o_free(value);
        tp_params_invalid(params, "query", "too-many-parameters",
                          "De querystring bevat meer dan 64 parameters.");
        break;
      } else {
        int dup = 0;
        for (size_t i = 0; i < params->count; i++) {
          if (strcmp(params->items[i].key, key) == 0) dup = 1;
        }
        if (dup) {
          tp_params_invalid(params, key, "duplicate", "De parameter komt meer dan eens voor.");
          o_free(key);
          o_free(value);
        } else {
          params->items[params->count].key = key;
          params->items[params->count].value = value;
          params->count++;
        }
      }
    }
    if (end == NULL) break;
    p = end + 1;
  }
}

void tp_params_free(struct tp_params *params) {
  for (size_t i = 0; i < params->count; i++) {
    o_free(params->items[i].key);
    o_free(params->items[i].value);
  }
  json_decref(params->invalid);
  memset(params, 0, sizeof(*params));
}

const char *tp_param_get(struct tp_params *params, const char *name) {
  for (size_t i = 0; i < params->count; i++) {
    if (strcmp(params->items[i].key, name) == 0) {
      params->used |= (uint64_t)1 << i;
      return params->items[i].value;
    }
  }
  return NULL;
}

int tp_param_long(struct tp_params *params, const char *name, long min, long max, long def,
                  long *out) {
  const char *v = tp_param_get(params, name);
  if (v == NULL) {
    *out = def;
    return 0;
  }
  char reason[160];
  const char *p = v;
  if (*p == '-') p++;
  int digits = *p != '\0';
  for (; *p; p++) {
    if (*p < '0' || *p > '9') digits = 0;
  }
  errno = 0;
  long n = digits ? strtol(v, NULL, 10) : 0;
  *out = def; /* a usable value even when this one is refused */
  if (!digits || errno != 0) {
    snprintf(reason, sizeof(reason), "Verwacht een geheel getal van %ld tot en met %ld.", min, max);
    tp_params_invalid(params, name, "invalid-integer", reason);
    return -1;
  }
  if (n < min) {
    snprintf(reason, sizeof(reason), "De waarde moet minstens %ld zijn.", min);
    tp_params_invalid(params, name, "min-value", reason);
    return -1;
  }
  if (n > max) {
    snprintf(reason, sizeof(reason), "De waarde mag hoogstens %ld zijn.", max);
    tp_params_invalid(params, name, "max-value", reason);
    return -1;
  }
  *out = n;
  return 0;
}

int tp_param_bool(struct tp_params *params, const char *name, int *out) {
  const char *v = tp_param_get(params, name);
  *out = -1;
  if (v == NULL) return 0;
  if (strcmp(v, "true") == 0) {
    *out = 1;
  } else if (strcmp(v, "false") == 0) {
    *out = 0;
  } else {
    tp_params_invalid(params, name, "invalid-boolean", "Verwacht true of false.");
    return -1;
  }
  return 0;
}

int tp_param_enum(struct tp_params *params, const char *name, const char *const *allowed,
                  const char **out) {
  const char *v = tp_param_get(params, name);
  *out = NULL;
  if (v == NULL) return 0;
  for (size_t i = 0; allowed[i] != NULL; i++) {
    if (strcmp(allowed[i], v) == 0) {
      *out = allowed[i];
      return 0;
    }
  }
  tp_params_invalid(params, name, "invalid-choice", "Deze waarde is niet toegestaan.");
  return -1;
}

int tp_param_text(struct tp_params *params, const char *name, size_t min_len, size_t max_len,
                  const char **out) {
  const char *v = tp_param_get(params, name);
  *out = NULL;
  if (v == NULL) return 0;
  size_t n = tp_utf8_chars(v, strlen(v));
  char reason[160];
  if (n < min_len || n > max_len) {
    snprintf(reason, sizeof(reason), "De tekst moet %zu tot en met %zu tekens lang zijn.", min_len,
             max_len);
    tp_params_invalid(params, name, n < min_len ? "min-length" : "max-length", reason);
    return -1;
  }
  *out = v;
  return 0;
}

int tp_param_date(struct tp_params *params, const char *name, const char **out) {
  if (tp_param_text(params, name, 10, 10, out) != 0) return -1;
  if (*out != NULL && !tp_is_date(*out)) {
    tp_params_invalid(params, name, "invalid-date", "Verwacht een bestaande datum als JJJJ-MM-DD.");
    *out = NULL;
    return -1;
  }
  return 0;
}

int tp_param_past_date(struct tp_params *params, const char *name, const char **out) {
  if (tp_param_date(params, name, out) != 0) return -1;
  if (*out == NULL) return 0;
  char today[16];
  tp_today_utc(today); /* "": not known, no bound */
  if (today[0] != '\0' && strcmp(*out, today) > 0) {
    tp_params_invalid(params, name, "max-value", "De datum mag niet na vandaag (UTC) liggen.");
    *out = NULL;
    return -1;
  }
  return 0;
}

size_t tp_params_finish(struct tp_params *params) {
  for (size_t i = 0; !params->finished && i < params->count; i++) {
    if (!(params->used & ((uint64_t)1 << i))) {
      tp_params_invalid(params, params->items[i].key, "unknown-parameter",
                        "Deze queryparameter bestaat niet voor deze resource.");
    }
  }
  params->finished = 1;
  return json_array_size(params->invalid);
}

int tp_query_encode(const char *in, char *out, size_t outlen) {
  static const char hex[] = "0123456789ABCDEF";
  size_t j = 0;
  for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
    int plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.' || *p == '~';
    if (j + (plain ? 1 : 3) >= outlen) return -1;
    if (plain) {
      out[j++] = (char)*p;
    } else {
      out[j++] = '%';
      out[j++] = hex[*p >> 4];
      out[j++] = hex[*p & 0x0F];
    }
  }
  if (j >= outlen) return -1;
  out[j] = '\0';
  return (int)j;
}

/* Files and processes the integration tests use: xmllint and the chart
 * renderer for SVG, and RFC 4180 CSV. */
#include "harness.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

int it_run_captured(const char *const *argv, char **out) {
  int fds[2];
  *out = NULL;
  if (pipe(fds) != 0) return -1;
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    dup2(fds[1], STDERR_FILENO);
    close(fds[0]);
    close(fds[1]);
    execvp(argv[0], (char *const *)argv);
    fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
  }
  close(fds[1]);
  size_t len = 0, cap = 4096;
  char *buf = malloc(cap);
  ck_assert_ptr_nonnull(buf);
  for (;;) {
    if (len + 1024 > cap) {
      cap *= 2;
      buf = realloc(buf, cap);
      ck_assert_ptr_nonnull(buf);
    }
    ssize_t n = read(fds[0], buf + len, cap - len - 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    len += (size_t)n;
  }
  buf[len] = '\0';
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  *out = buf;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void it_write_file(const char *path, const char *data, size_t len) {
  FILE *f = fopen(path, "wb");
  ck_assert_msg(f != NULL, "cannot write %s: %s", path, strerror(errno));
  ck_assert_uint_eq(fwrite(data, 1, len, f), len);
  ck_assert_int_eq(fclose(f), 0);
}

void it_assert_well_formed(const char *path) {
  const char *argv[] = {"xmllint", "--noout", "--nonet", path, NULL};
  char *out = NULL;
  int st = it_run_captured(argv, &out);
  ck_assert_msg(st == 0, "xmllint rejects %s (status %d): %s", path, st, out ? out : "");
  free(out);
}

char *it_xpath_string(const char *path, const char *expr) {
  const char *argv[] = {"xmllint", "--nonet", "--xpath", expr, path, NULL};
  char *out = NULL;
  int st = it_run_captured(argv, &out);
  ck_assert_msg(st == 0, "xmllint --xpath %s on %s (status %d): %s", expr, path, st,
                out ? out : "");
  size_t len = strlen(out);
  while (len > 0 && out[len - 1] == '\n') out[--len] = '\0';
  return out;
}

void it_assert_renders(const char *svg, const char *png, const char *size) {
  const char *script = TEAMPLOTTER_HARNESS_SOURCE_DIR "/tests/integration/chart_render.sh";
  /* The colours of the SVG's filled rectangles of at least 10 x 6 px, via
   * XPath: each must be visible in the rendering. */
  char *fills =
      it_xpath_string(svg,
                      "//*[local-name()='rect'][number(@width) >= 10][number(@height) >= 6]"
                      "/@fill");
  const char *argv[32];
  size_t n = 0;
  argv[n++] = "sh";
  argv[n++] = script;
  if (size != NULL) {
    argv[n++] = "-s";
    argv[n++] = size;
  }
  argv[n++] = svg;
  argv[n++] = png;
  /* xmllint prints ` fill="#1b7837"` per attribute; keep distinct colours. */
  char colours[24][8];
  size_t ncol = 0;
  for (char *p = strstr(fills, "fill=\"#"); p != NULL && ncol < 24; p = strstr(p + 1, "fill=\"#")) {
    char c[8];
    if (sscanf(p, "fill=\"#%6[0-9a-fA-F]\"", c) != 1 || strlen(c) != 6) continue;
    int seen = 0;
    for (size_t k = 0; k < ncol; k++) seen |= strcasecmp(colours[k], c) == 0;
    if (!seen) snprintf(colours[ncol++], sizeof(colours[0]), "%s", c);
  }
  free(fills);
  ck_assert_msg(ncol >= 3, "the chart has only %zu filled colours", ncol);
  for (size_t k = 0; k < ncol && n < 31; k++) argv[n++] = colours[k];
  argv[n] = NULL;
  char *out = NULL;
  int st = it_run_captured(argv, &out);
  if (st == 3) {
    ck_abort_msg(
        "headless Chromium is needed to render the chart and is missing "
        "(install Debian's chromium: apt-get install -y chromium): %s",
        out ? out : "");
  }
  ck_assert_msg(st == 0, "rendering %s failed (status %d): %s", svg, st, out ? out : "");
  free(out);
}

json_t *it_parse_csv(const char *s, const char **why) {
  json_t *records = json_array(), *record = json_array();
  size_t cap = strlen(s) + 1, len = 0;
  char *field = malloc(cap);
  const char *p = s;
  *why = NULL;
  for (;;) {
    len = 0;
    if (*p == '"') {
      p++;
      for (;;) {
        if (*p == '\0') {
          *why = "unterminated quoted field";
          goto bad;
        }
        if (*p == '"' && p[1] == '"') {
          field[len++] = '"';
          p += 2;
        } else if (*p == '"') {
          p++;
          break;
        } else {
          field[len++] = *p++;
        }
      }
      if (*p != ',' && *p != '\r' && *p != '\0') {
        *why = "text after a closing quote";
        goto bad;
      }
    } else {
      while (*p != ',' && *p != '\r' && *p != '\n' && *p != '\0') {
        if (*p == '"') {
          *why = "a quote inside an unquoted field";
          goto bad;
        }
        field[len++] = *p++;
      }
      if (*p == '\n') {
        *why = "a bare LF (records end in CRLF)";
        goto bad;
      }
    }
    json_array_append_new(record, json_stringn(field, len));
    if (*p == ',') {
      p++;
      continue;
    }
    if (*p == '\r') {
      if (p[1] != '\n') {
        *why = "a CR without LF";
        goto bad;
      }
      p += 2;
    }
    json_array_append_new(records, record);
    record = json_array();
    if (*p == '\0') break;
  }
  json_decref(record);
  free(field);
  return records;
bad:
  json_decref(record);
  json_decref(records);
  free(field);
  return NULL;
}

size_t it_csv_split(char *line, char **fields, size_t max) {
  size_t n = 0;
  char *p = line;
  for (;;) {
    if (n == max) return max + 1;
    if (*p == '"') {
      char *out = ++p;
      fields[n++] = out;
      while (*p != '\0') {
        if (*p == '"' && p[1] == '"') {
          *out++ = '"';
          p += 2;
        } else if (*p == '"') {
          p++;
          break;
        } else {
          *out++ = *p++;
        }
      }
      char sep = *p;
      *out = '\0';
      if (sep != ',') return n;
      p++;
      continue;
    }
    fields[n++] = p;
    char *comma = strchr(p, ',');
    if (comma == NULL) return n;
    *comma = '\0';
    p = comma + 1;
  }
}

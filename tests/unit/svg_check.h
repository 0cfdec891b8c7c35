#ifndef TEAMPLOTTER_TEST_SVG_CHECK_H
#define TEAMPLOTTER_TEST_SVG_CHECK_H

/* What the chart tests share: xmllint over a document, and counting the
 * places where a piece of markup occurs. */

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Writes `text` to a temporary file and runs xmllint on it; its exit status. */
static int xmllint(const char *text) {
  char path[] = "/tmp/teamplotter-svg-XXXXXX";
  int fd = mkstemp(path);
  ck_assert_int_ge(fd, 0);
  size_t len = strlen(text);
  ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
  close(fd);
  char cmd[128];
  snprintf(cmd, sizeof(cmd), "xmllint --noout %s 2>/dev/null", path);
  int rc = system(cmd);
  unlink(path);
  return rc;
}

/* How often `needle` occurs in `hay`, overlaps included. */
static size_t count(const char *hay, const char *needle) {
  size_t n = 0;
  for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle)) n++;
  return n;
}

#endif

#ifndef TEAMPLOTTER_CSV_H
#define TEAMPLOTTER_CSV_H

/* Fields of CSV text (RFC 4180), appended to a text buffer: a field is
 * preceded by a comma unless it is the first of its row; the caller ends
 * each row with "\r\n". */
struct tp_textbuf;

/* A text field, quoted when it holds a comma, quote or line break (a quote
 * written twice); NULL writes an empty field. */
void tp_csv_field(struct tp_textbuf *c, const char *s, int first);

/* A number as the JSON documents show it: empty for NAN (null), else as
 * "%.15g" prints it. */
void tp_csv_real(struct tp_textbuf *c, double v);

/* An integer field, never the first of its row. */
void tp_csv_integer(struct tp_textbuf *c, long long v);

#endif

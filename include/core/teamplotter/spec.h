#ifndef TEAMPLOTTER_SPEC_H
#define TEAMPLOTTER_SPEC_H

/* info.version of the embedded OpenAPI document, in a static buffer;
 * NULL when the document cannot be read. */
const char *tp_spec_version(void);

#endif

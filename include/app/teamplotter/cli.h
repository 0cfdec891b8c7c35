#ifndef TEAMPLOTTER_CLI_H
#define TEAMPLOTTER_CLI_H

#include "teamplotter/config.h"

/* The administrative commands. Each takes the arguments after its own
 * name, prints its result to stdout and errors to stderr, and returns the
 * process exit status (0 success, 1 failure, 2 usage). */

/* clients add ID --scopes S1,S2 [--gemeenten GM0855,...|*] | list | revoke ID */
int tp_cli_clients(const struct tp_config *cfg, int argc, char **argv);

/* token ID: a token for the client, valid TEAMPLOTTER_JWT_MAX_AGE seconds. */
int tp_cli_token(const struct tp_config *cfg, int argc, char **argv);

/* import referentieteams FILE.json: replaces the reference profiles. */
int tp_cli_import(const struct tp_config *cfg, int argc, char **argv);

/* audit purge: deletes the audit rows older than
 * TEAMPLOTTER_AUDIT_RETENTION_DAYS. audit erase UUID: erases the content of
 * one profile's audit trail and records the erasure. */
int tp_cli_audit(const struct tp_config *cfg, int argc, char **argv);

/* peiling maak NAAM --peildatum D [--toelichting T]: makes a benchmark round
 * (cli_peiling.c) and prints its summary. */
int tp_cli_peiling(const struct tp_config *cfg, int argc, char **argv);

#endif

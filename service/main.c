/* teamplotter: command-line entry point. Wiring only: each command is a
 * call into the core library. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ulfius.h>
#ifdef TEAMPLOTTER_MIMALLOC
#include <mimalloc.h>
#endif

#include "teamplotter/app.h"
#include "teamplotter/cli.h"
#include "teamplotter/config.h"
#include "teamplotter/log.h"
#include "teamplotter/migrate.h"
#include "teamplotter/routes.h"
#include "teamplotter/server.h"
#include "teamplotter/spec.h"

static const char USAGE[] =
    "usage: teamplotter COMMAND [ARGS]\n"
    "\n"
    "commands:\n"
    "  serve      serve the HTTP API (configuration from TEAMPLOTTER_* variables)\n"
    "  migrate    apply the database migrations and seed; safe to repeat\n"
    "  clients add ID --scopes S1,S2 [--gemeenten GM0855,...|*]\n"
    "             add an API client; prints its secret once\n"
    "  clients list | clients revoke ID\n"
    "  token ID   print a bearer token for client ID (TEAMPLOTTER_JWT_MAX_AGE seconds)\n"
    "  import referentieteams FILE.json\n"
    "             replace the seven reference profiles (shape of referentieteams.json)\n"
    "  import catalogus|succesfactoren|succesverhalen FILE.json\n"
    "             replace the catalogue, success factors or success stories (shapes of\n"
    "             the data pack's files) as a new catalogue version\n"
    "  audit purge\n"
    "             delete audit rows older than TEAMPLOTTER_AUDIT_RETENTION_DAYS (0: keep all)\n"
    "  audit erase UUID\n"
    "             erase the content of one team profile's audit trail; the erasure is\n"
    "             recorded without content\n"
    "  peiling maak NAAM --peildatum JJJJ-MM-DD [--toelichting TEKST]\n"
    "             store the benchmark of all municipalities as of that date as a\n"
    "             frozen round (peiling) and print its summary\n"
    "  version    print the API version\n"
    "  routes     print the route table (method and path), one per line\n"
    "\n"
    "See README.md for the configuration variables.\n";

static const char *env(const char *name) { return getenv(name); }

/* Loads the configuration or explains what is wrong; 0 on success. */
static int load_config(struct tp_config *cfg) {
  char err[512];
  tp_rc rc = tp_config_load(cfg, env, 1, err, sizeof(err));
  if (rc != TP_OK) {
    fprintf(stderr, "teamplotter: %s\n", rc == TP_ERR_PARAM ? err : tp_rc_name(rc));
    return 1;
  }
  return 0;
}

static int cmd_migrate(void) {
  struct tp_config cfg;
  if (load_config(&cfg) != 0) return 2;
  tp_log_open(cfg.log_level);
  int applied = 0;
  tp_rc rc = tp_migrate(cfg.database_url, &applied);
  if (rc == TP_OK) tp_log_info("migrate: %d migration(s) applied, database up to date", applied);
  tp_log_close();
  tp_config_free(&cfg);
  return rc == TP_OK ? 0 : 1;
}

static int cmd_serve(void) {
  struct tp_config cfg;
  if (load_config(&cfg) != 0) return 2;
  tp_log_open(cfg.log_level);
  tp_config_log(&cfg);
  /* Before any thread: Ulfius's global init is not thread-safe. */
  if (ulfius_global_init() != U_OK) {
    tp_log_error("serve: could not initialise the HTTP library");
    tp_config_free(&cfg);
    return 1;
  }
  int rc = tp_serve(&cfg);
  ulfius_global_close();
  tp_log_close();
  tp_config_free(&cfg);
  return rc;
}

/* Runs an administrative command with the configuration loaded. */
static int with_config(int (*cmd)(const struct tp_config *, int, char **), int argc, char **argv) {
  struct tp_config cfg;
  if (load_config(&cfg) != 0) return 2;
  tp_log_open(TP_LOG_WARNING);
  int rc = cmd(&cfg, argc, argv);
  tp_log_close();
  tp_config_free(&cfg);
  return rc;
}

int main(int argc, char **argv) {
#ifdef TEAMPLOTTER_MIMALLOC
  /* Give pages and segments that fall empty back to the system at once. A
   * bulk benchmark at 100 000 municipalities frees a gigabyte of JSON tree,
   * which mimalloc otherwise keeps: 1 177 MB RSS after it instead of 361
   * MB (docs/performance.md). No measurable cost on the POST path. */
  mi_option_set(mi_option_page_reset, 1);
  mi_option_set(mi_option_decommit_delay, 0);
  mi_option_set(mi_option_segment_decommit_delay, 0);
#endif
  if (argc < 2) {
    fputs(USAGE, stdout);
    return 0;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "clients") == 0) return with_config(tp_cli_clients, argc - 2, argv + 2);
  if (strcmp(cmd, "token") == 0) return with_config(tp_cli_token, argc - 2, argv + 2);
  if (strcmp(cmd, "import") == 0) return with_config(tp_cli_import, argc - 2, argv + 2);
  if (strcmp(cmd, "audit") == 0) return with_config(tp_cli_audit, argc - 2, argv + 2);
  if (strcmp(cmd, "peiling") == 0) return with_config(tp_cli_peiling, argc - 2, argv + 2);
  if (argc != 2) {
    fputs(USAGE, stderr);
    return 2;
  }
  if (strcmp(cmd, "serve") == 0) return cmd_serve();
  if (strcmp(cmd, "migrate") == 0) return cmd_migrate();
  if (strcmp(cmd, "version") == 0) {
    const char *v = tp_spec_version();
    printf("%s\n", v ? v : "unknown");
    return v ? 0 : 1;
  }
  if (strcmp(cmd, "routes") == 0) {
    for (size_t t = 0; tp_all_routes[t] != NULL; t++) {
      for (const struct tp_route *r = tp_all_routes[t]; r->method != NULL; r++) {
        printf("%s %s\n", r->method, r->pattern);
      }
    }
    return 0;
  }
  if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
    fputs(USAGE, stdout);
    return 0;
  }
  fprintf(stderr, "teamplotter: unknown command \"%s\"\n\n%s", cmd, USAGE);
  return 2;
}

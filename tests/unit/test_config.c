/* Configuration from the environment: defaults, every bad value named. */
#include <check.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "teamplotter/config.h"

/* A fake environment: NAME=value pairs. */
static const char *const *fake_env;

static const char *fake_getenv(const char *name) {
  size_t n = strlen(name);
  for (size_t i = 0; fake_env[i] != NULL; i++) {
    if (strncmp(fake_env[i], name, n) == 0 && fake_env[i][n] == '=') return fake_env[i] + n + 1;
  }
  return NULL;
}

static tp_rc load(const char *const *env, struct tp_config *cfg, char *err, size_t errlen) {
  fake_env = env;
  return tp_config_load(cfg, fake_getenv, 1, err, errlen);
}

START_TEST(defaults_apply) {
  const char *env[] = {"TEAMPLOTTER_DATABASE_URL=postgresql://localhost/tp", NULL};
  struct tp_config cfg;
  char err[256];
  ck_assert_int_eq(load(env, &cfg, err, sizeof(err)), TP_OK);
  ck_assert_str_eq(cfg.database_url, "postgresql://localhost/tp");
  ck_assert_uint_eq(cfg.port, 8080);
  ck_assert_uint_eq(cfg.threads, tp_config_default_threads(TP_DEFAULT_DB_POOL_SIZE));
  ck_assert_uint_ge(cfg.threads, 2);
  ck_assert_uint_le(cfg.threads, TP_DEFAULT_DB_POOL_SIZE);
  ck_assert_uint_eq(cfg.db_pool_size, TP_DEFAULT_DB_POOL_SIZE);
  ck_assert_uint_eq(cfg.max_body_bytes, 1024 * 1024);
  ck_assert_uint_eq(cfg.jwt_max_age, TP_DEFAULT_JWT_MAX_AGE);
  ck_assert_uint_eq(cfg.audit_retention_days, TP_DEFAULT_AUDIT_RETENTION_DAYS);
  ck_assert_uint_eq(cfg.audit_retention_days, 730);
  ck_assert_int_eq(cfg.log_level, TP_LOG_INFO);
  ck_assert_uint_eq(cfg.cors_origin_count, 0);
  ck_assert_int_eq(cfg.cors_any, 0);
  ck_assert_uint_eq(cfg.admin_port, 9090);
  ck_assert_uint_eq(cfg.max_connections, 4096);
  ck_assert_uint_eq(cfg.max_connections_per_ip, 64);
  tp_config_free(&cfg);
}
END_TEST

/* Without TEAMPLOTTER_THREADS: one worker per CPU, never more than the
 * pool has connections, never fewer than 2. */
START_TEST(default_threads_follow_cpus_and_pool) {
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  ck_assert_uint_ge(tp_config_default_threads(256), 2);
  ck_assert_uint_le(tp_config_default_threads(256), cpus > 2 ? (unsigned long)cpus : 2);
  ck_assert_uint_eq(tp_config_default_threads(2), 2);
  ck_assert_uint_eq(tp_config_default_threads(1), 2);
  const char *env[] = {"TEAMPLOTTER_DATABASE_URL=postgresql://localhost/tp",
                       "TEAMPLOTTER_DB_POOL_SIZE=2", NULL};
  struct tp_config cfg;
  char err[256];
  ck_assert_int_eq(load(env, &cfg, err, sizeof(err)), TP_OK);
  ck_assert_uint_eq(cfg.threads, 2);
  tp_config_free(&cfg);
}
END_TEST

START_TEST(values_are_read) {
  const char *env[] = {"TEAMPLOTTER_DATABASE_URL=host=db dbname=tp",
                       "TEAMPLOTTER_PORT=9090",
                       "TEAMPLOTTER_THREADS=3",
                       "TEAMPLOTTER_DB_POOL_SIZE=5",
                       "TEAMPLOTTER_MAX_BODY_BYTES=2048",
                       "TEAMPLOTTER_CORS_ORIGINS=https://a.example.nl, http://localhost:3000",
                       "TEAMPLOTTER_LOG_LEVEL=DEBUG",
                       "TEAMPLOTTER_JWT_MAX_AGE=600",
                       "TEAMPLOTTER_ADMIN_PORT=9191",
                       "TEAMPLOTTER_MAX_CONNECTIONS=20000",
                       "TEAMPLOTTER_MAX_CONNECTIONS_PER_IP=8",
                       "TEAMPLOTTER_AUDIT_RETENTION_DAYS=90",
                       NULL};
  struct tp_config cfg;
  char err[256];
  ck_assert_int_eq(load(env, &cfg, err, sizeof(err)), TP_OK);
  ck_assert_uint_eq(cfg.port, 9090);
  ck_assert_uint_eq(cfg.threads, 3);
  ck_assert_uint_eq(cfg.db_pool_size, 5);
  ck_assert_uint_eq(cfg.max_body_bytes, 2048);
  ck_assert_uint_eq(cfg.cors_origin_count, 2);
  ck_assert_str_eq(cfg.cors_origins[0], "https://a.example.nl");
  ck_assert_str_eq(cfg.cors_origins[1], "http://localhost:3000");
  ck_assert_int_eq(cfg.log_level, TP_LOG_DEBUG);
  ck_assert_uint_eq(cfg.jwt_max_age, 600);
  ck_assert_uint_eq(cfg.admin_port, 9191);
  ck_assert_uint_eq(cfg.max_connections, 20000);
  ck_assert_uint_eq(cfg.max_connections_per_ip, 8);
  ck_assert_uint_eq(cfg.audit_retention_days, 90);
  tp_config_free(&cfg);
}
END_TEST

/* 0 keeps the audit trail forever; 100 years is the most. */
START_TEST(audit_retention_bounds) {
  const char *zero[] = {"TEAMPLOTTER_DATABASE_URL=postgresql://localhost/tp",
                        "TEAMPLOTTER_AUDIT_RETENTION_DAYS=0", NULL};
  const char *most[] = {"TEAMPLOTTER_DATABASE_URL=postgresql://localhost/tp",
                        "TEAMPLOTTER_AUDIT_RETENTION_DAYS=36500", NULL};
  struct tp_config cfg;
  char err[256];
  ck_assert_int_eq(load(zero, &cfg, err, sizeof(err)), TP_OK);
  ck_assert_uint_eq(cfg.audit_retention_days, 0);
  tp_config_free(&cfg);
  ck_assert_int_eq(load(most, &cfg, err, sizeof(err)), TP_OK);
  ck_assert_uint_eq(cfg.audit_retention_days, 36500);
  tp_config_free(&cfg);
}
END_TEST

/* Each bad value, and the variable the message must name. */
static const struct {
  const char *setting;
  const char *named;
} BAD[] = {
    {"TEAMPLOTTER_PORT=0", "TEAMPLOTTER_PORT"},
    {"TEAMPLOTTER_PORT=65536", "TEAMPLOTTER_PORT"},
    {"TEAMPLOTTER_PORT=80a", "TEAMPLOTTER_PORT"},
    {"TEAMPLOTTER_PORT=-1", "TEAMPLOTTER_PORT"},
    {"TEAMPLOTTER_PORT= 80", "TEAMPLOTTER_PORT"},
    {"TEAMPLOTTER_PORT=99999999999999999999999", "TEAMPLOTTER_PORT"},
    {"TEAMPLOTTER_THREADS=0", "TEAMPLOTTER_THREADS"},
    {"TEAMPLOTTER_THREADS=1000", "TEAMPLOTTER_THREADS"},
    {"TEAMPLOTTER_DB_POOL_SIZE=zero", "TEAMPLOTTER_DB_POOL_SIZE"},
    {"TEAMPLOTTER_DB_POOL_SIZE=0", "TEAMPLOTTER_DB_POOL_SIZE"},
    {"TEAMPLOTTER_MAX_BODY_BYTES=12", "TEAMPLOTTER_MAX_BODY_BYTES"},
    {"TEAMPLOTTER_MAX_BODY_BYTES=1.5", "TEAMPLOTTER_MAX_BODY_BYTES"},
    {"TEAMPLOTTER_LOG_LEVEL=loud", "TEAMPLOTTER_LOG_LEVEL"},
    {"TEAMPLOTTER_JWT_MAX_AGE=0", "TEAMPLOTTER_JWT_MAX_AGE"},
    {"TEAMPLOTTER_JWT_MAX_AGE=1h", "TEAMPLOTTER_JWT_MAX_AGE"},
    {"TEAMPLOTTER_AUDIT_RETENTION_DAYS=36501", "TEAMPLOTTER_AUDIT_RETENTION_DAYS"},
    {"TEAMPLOTTER_AUDIT_RETENTION_DAYS=-1", "TEAMPLOTTER_AUDIT_RETENTION_DAYS"},
    {"TEAMPLOTTER_AUDIT_RETENTION_DAYS=2y", "TEAMPLOTTER_AUDIT_RETENTION_DAYS"},
    {"TEAMPLOTTER_CORS_ORIGINS=dashboard.example.nl", "TEAMPLOTTER_CORS_ORIGINS"},
    {"TEAMPLOTTER_CORS_ORIGINS=https://a.example.nl/pad", "TEAMPLOTTER_CORS_ORIGINS"},
    {"TEAMPLOTTER_CORS_ORIGINS=ftp://a.example.nl", "TEAMPLOTTER_CORS_ORIGINS"},
    {"TEAMPLOTTER_ADMIN_PORT=0", "TEAMPLOTTER_ADMIN_PORT"},
    {"TEAMPLOTTER_ADMIN_PORT=65536", "TEAMPLOTTER_ADMIN_PORT"},
    {"TEAMPLOTTER_ADMIN_PORT=8080", "TEAMPLOTTER_ADMIN_PORT"}, /* the public port */
    {"TEAMPLOTTER_MAX_CONNECTIONS=15", "TEAMPLOTTER_MAX_CONNECTIONS"},
    {"TEAMPLOTTER_MAX_CONNECTIONS=many", "TEAMPLOTTER_MAX_CONNECTIONS"},
    {"TEAMPLOTTER_MAX_CONNECTIONS_PER_IP=0", "TEAMPLOTTER_MAX_CONNECTIONS_PER_IP"},
    {"TEAMPLOTTER_MAX_CONNECTIONS_PER_IP=-3", "TEAMPLOTTER_MAX_CONNECTIONS_PER_IP"},
};

START_TEST(bad_value_is_named) {
  const char *env[] = {"TEAMPLOTTER_DATABASE_URL=postgresql://localhost/tp", BAD[_i].setting, NULL};
  struct tp_config cfg;
  char err[512];
  ck_assert_int_eq(load(env, &cfg, err, sizeof(err)), TP_ERR_PARAM);
  ck_assert_msg(strstr(err, BAD[_i].named) != NULL, "'%s' does not name %s", err, BAD[_i].named);
  ck_assert_ptr_null(cfg.database_url);
}
END_TEST

START_TEST(database_url_is_required) {
  const char *env[] = {"TEAMPLOTTER_PORT=8080", NULL};
  struct tp_config cfg;
  char err[256];
  ck_assert_int_eq(load(env, &cfg, err, sizeof(err)), TP_ERR_PARAM);
  ck_assert_ptr_nonnull(strstr(err, "TEAMPLOTTER_DATABASE_URL"));
  const char *empty[] = {"TEAMPLOTTER_DATABASE_URL=", NULL};
  ck_assert_int_eq(load(empty, &cfg, err, sizeof(err)), TP_ERR_PARAM);
}
END_TEST

START_TEST(cors_star_and_too_many) {
  const char *env[] = {"TEAMPLOTTER_DATABASE_URL=x", "TEAMPLOTTER_CORS_ORIGINS=*", NULL};
  struct tp_config cfg;
  char err[256];
  ck_assert_int_eq(load(env, &cfg, err, sizeof(err)), TP_OK);
  ck_assert_int_eq(cfg.cors_any, 1);
  tp_config_free(&cfg);

  char many[4096] = "TEAMPLOTTER_CORS_ORIGINS=";
  for (int i = 0; i <= TP_MAX_CORS_ORIGINS; i++) {
    char one[64];
    snprintf(one, sizeof(one), "https://h%d.example.nl,", i);
    strcat(many, one);
  }
  const char *env2[] = {"TEAMPLOTTER_DATABASE_URL=x", many, NULL};
  ck_assert_int_eq(load(env2, &cfg, err, sizeof(err)), TP_ERR_PARAM);
  ck_assert_ptr_nonnull(strstr(err, "TEAMPLOTTER_CORS_ORIGINS"));
}
END_TEST

START_TEST(passwords_are_masked) {
  char out[256];
  tp_config_mask_url("postgresql://tp:geheim@db:5432/tp", out, sizeof(out));
  ck_assert_str_eq(out, "postgresql://tp:****@db:5432/tp");
  tp_config_mask_url("host=db user=tp password=geheim dbname=tp", out, sizeof(out));
  ck_assert_str_eq(out, "host=db user=tp password=**** dbname=tp");
  tp_config_mask_url("host=db password='ge heim' dbname=tp", out, sizeof(out));
  ck_assert_str_eq(out, "host=db password=**** dbname=tp");
  tp_config_mask_url("postgresql://tp@db/tp", out, sizeof(out));
  ck_assert_str_eq(out, "postgresql://tp@db/tp");
  ck_assert_ptr_null(strstr(out, "geheim"));
}
END_TEST

int main(void) {
  Suite *s = suite_create("config");
  TCase *tc = tcase_create("config");
  tcase_add_test(tc, defaults_apply);
  tcase_add_test(tc, default_threads_follow_cpus_and_pool);
  tcase_add_test(tc, values_are_read);
  tcase_add_test(tc, audit_retention_bounds);
  tcase_add_loop_test(tc, bad_value_is_named, 0, (int)(sizeof(BAD) / sizeof(BAD[0])));
  tcase_add_test(tc, database_url_is_required);
  tcase_add_test(tc, cors_star_and_too_many);
  tcase_add_test(tc, passwords_are_masked);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}

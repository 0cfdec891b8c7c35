/* A breach for tests/static/layers.sh: code in core calling db. Linked as
 * core is linked alone, it must leave tp_pool_acquire unresolved. */
struct tp_pool;
struct tp_db;
int tp_pool_acquire(struct tp_pool *pool, struct tp_db **out);

int tp_layer_probe_call(void);
int tp_layer_probe_call(void) { return tp_pool_acquire(0, 0); }

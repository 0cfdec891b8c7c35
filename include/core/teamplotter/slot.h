#ifndef TEAMPLOTTER_SLOT_H
#define TEAMPLOTTER_SLOT_H

/* A kind of value that a layer keeps beside each version of a shared,
 * immutable object it may not look into (the HTTP response cache beside
 * each catalogue snapshot): made by `create` on first use, freed by
 * `destroy` together with that version. Each type is one static object. */
struct tp_slot_type {
  void *(*create)(void);
  void (*destroy)(void *value);
};

#endif

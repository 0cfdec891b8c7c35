#ifndef TEAMPLOTTER_ROUTES_H
#define TEAMPLOTTER_ROUTES_H

#include "teamplotter/http.h"

/* The route table of each resource file in service/api, each ending with a
 * zeroed entry, and the list of all of them (routes.c). */
extern const struct tp_route *const tp_all_routes[];

extern const struct tp_route tp_routes_health[];
extern const struct tp_route tp_routes_root[];
extern const struct tp_route tp_routes_rolfamilies[];
extern const struct tp_route tp_routes_rollen[];
extern const struct tp_route tp_routes_competenties[];
extern const struct tp_route tp_routes_succesfactoren[];
extern const struct tp_route tp_routes_gemeenten[];
extern const struct tp_route tp_routes_succesverhalen[];
extern const struct tp_route tp_routes_bronnen[];
extern const struct tp_route tp_routes_teamprofielen[];
extern const struct tp_route tp_routes_analyse[];
extern const struct tp_route tp_routes_benchmarks[];
extern const struct tp_route tp_routes_catalogusversies[];
extern const struct tp_route tp_routes_referentieversies[];
extern const struct tp_route tp_routes_ontwikkeling[];
extern const struct tp_route tp_routes_peilingen[];
extern const struct tp_route tp_routes_pagina[];

#endif

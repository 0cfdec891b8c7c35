#include "teamplotter/routes.h"

const struct tp_route *const tp_all_routes[] = {
    tp_routes_health,       tp_routes_root,           tp_routes_rolfamilies,
    tp_routes_rollen,       tp_routes_competenties,   tp_routes_succesfactoren,
    tp_routes_gemeenten,    tp_routes_succesverhalen, tp_routes_bronnen,
    tp_routes_teamprofielen, tp_routes_analyse,     tp_routes_benchmarks,
    tp_routes_catalogusversies, tp_routes_referentieversies, tp_routes_ontwikkeling,
    tp_routes_peilingen,    tp_routes_pagina,
    NULL,
};

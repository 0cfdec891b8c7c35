/* The fields of a team body's objects (team_rules.h). */
#include "teamplotter/team_rules.h"

const char *const tp_team_analysis_fields[] = {"gemeente", "inwoners", "peildatum", "leden",
                                               NULL};
const char *const tp_team_lid_fields[] = {"label", "fte", "rollen", "competenties", NULL};
const char *const tp_team_rol_fields[] = {"rol", "aandeel", NULL};
const char *const tp_team_competentie_fields[] = {"code", "niveau", NULL};

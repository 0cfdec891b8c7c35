-- 0001_schema.sql: Teamplotter base schema (PostgreSQL 15).
--
-- Applied by the migration runner inside its own transaction, so this file
-- contains no BEGIN/COMMIT and no psql meta-commands.
--
-- The rules of the data pack are encoded here (foreign keys, CHECKs, NOT NULLs)
-- so that bad data cannot get in, even when the API is bypassed.
-- Order columns (volgorde) hold the position in the data pack, counted from 0;
-- the API returns rows in that order.

-- Accent-insensitive search (zoek filters on roles and municipalities).
CREATE EXTENSION IF NOT EXISTS unaccent;

-- Provenance of every fact. 'opgave' = entered by a municipality itself,
-- 'demo' = synthetic benchmark data.
CREATE DOMAIN herkomst AS text
    CHECK (VALUE IN ('publicatie', 'bron', 'afgeleid', 'schatting', 'opgave', 'demo'));

-- ---------------------------------------------------------------------------
-- Catalogue versions: the current catalogue is the row with the highest id.
-- ---------------------------------------------------------------------------
CREATE TABLE catalogus_versies (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    versie       text NOT NULL UNIQUE CHECK (btrim(versie) <> ''),
    toelichting  text,
    schaal_bron  text,
    aangemaakt   timestamptz NOT NULL DEFAULT now(),
    client_id    text,
    samenvatting text
);

-- ---------------------------------------------------------------------------
-- Sources (bronnen.csv). Facts cite a source by id, result figures by url.
-- ---------------------------------------------------------------------------
CREATE TABLE bronnen (
    id       text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]+$'),
    url      text NOT NULL UNIQUE CHECK (url ~ '^https?://[^[:space:]]+$'),
    titel    text NOT NULL CHECK (btrim(titel) <> ''),
    uitgever text,
    jaar     integer CHECK (jaar BETWEEN 1900 AND 2100),
    soort    text NOT NULL CHECK (soort IN (
                 'publicatie', 'productpagina', 'artikel', 'interview', 'blog',
                 'nieuws', 'monitor', 'casus', 'webpagina', 'jaarverslag',
                 'presentatie', 'rapport', 'dataset', 'raamwerk', 'regelgeving'))
);

-- ---------------------------------------------------------------------------
-- Role catalogue
-- ---------------------------------------------------------------------------

-- The 4-step proficiency scale (schaal).
CREATE TABLE niveaus (
    niveau       smallint PRIMARY KEY CHECK (niveau BETWEEN 1 AND 4),
    code         text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    naam         text NOT NULL CHECK (btrim(naam) <> ''),
    omschrijving text NOT NULL
);

CREATE TABLE rolfamilies (
    code         text PRIMARY KEY CHECK (code ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    naam         text NOT NULL CHECK (btrim(naam) <> ''),
    omschrijving text NOT NULL,
    volgorde     integer NOT NULL UNIQUE CHECK (volgorde >= 0)
);

CREATE TABLE competenties (
    code         text PRIMARY KEY CHECK (code ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    naam         text NOT NULL CHECK (btrim(naam) <> ''),
    omschrijving text NOT NULL,
    soort        text NOT NULL CHECK (soort IN ('kennis', 'vaardigheid', 'houding')),
    volgorde     integer NOT NULL UNIQUE CHECK (volgorde >= 0)
);

CREATE TABLE rollen (
    code               text PRIMARY KEY CHECK (code ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    naam               text NOT NULL CHECK (btrim(naam) <> ''),
    familie            text NOT NULL REFERENCES rolfamilies (code),
    omschrijving       text NOT NULL,
    kernrol            boolean NOT NULL,
    kernrol_bron       herkomst,
    herkomst           herkomst NOT NULL,
    richt_fte_minimum  numeric NOT NULL CHECK (richt_fte_minimum > 0 AND richt_fte_minimum <= 1.5),
    volgorde           integer NOT NULL UNIQUE CHECK (volgorde >= 0),
    CONSTRAINT rollen_kernrol_bron_check CHECK ((kernrol_bron IS NULL) = (NOT kernrol))
);
CREATE INDEX rollen_familie_idx ON rollen (familie);

CREATE TABLE rol_bronnen (
    rol      text NOT NULL REFERENCES rollen (code) ON DELETE CASCADE,
    bron     text NOT NULL REFERENCES bronnen (id),
    volgorde integer NOT NULL CHECK (volgorde >= 0),
    PRIMARY KEY (rol, bron),
    UNIQUE (rol, volgorde)
);

CREATE TABLE rol_synoniemen (
    rol      text NOT NULL REFERENCES rollen (code) ON DELETE CASCADE,
    volgorde integer NOT NULL CHECK (volgorde >= 0),
    synoniem text NOT NULL CHECK (btrim(synoniem) <> ''),
    PRIMARY KEY (rol, volgorde),
    UNIQUE (rol, synoniem)
);

CREATE TABLE rol_taken (
    rol          text NOT NULL REFERENCES rollen (code) ON DELETE CASCADE,
    volgorde     integer NOT NULL CHECK (volgorde >= 0),
    omschrijving text NOT NULL CHECK (btrim(omschrijving) <> ''),
    PRIMARY KEY (rol, volgorde)
);

CREATE TABLE rol_competenties (
    rol         text NOT NULL REFERENCES rollen (code) ON DELETE CASCADE,
    competentie text NOT NULL REFERENCES competenties (code),
    niveau      smallint NOT NULL REFERENCES niveaus (niveau),
    essentieel  boolean NOT NULL,
    volgorde    integer NOT NULL CHECK (volgorde >= 0),
    PRIMARY KEY (rol, competentie),
    UNIQUE (rol, volgorde)
);
CREATE INDEX rol_competenties_competentie_idx ON rol_competenties (competentie);

-- ---------------------------------------------------------------------------
-- Municipalities (CBS, gemeenten-2020.csv)
-- ---------------------------------------------------------------------------
CREATE TABLE gemeenten (
    code          text PRIMARY KEY CHECK (code ~ '^GM[0-9]{4}$'),
    naam          text NOT NULL CHECK (btrim(naam) <> ''),
    provincie     text NOT NULL CHECK (provincie IN (
                      'Groningen', 'Friesland', 'Drenthe', 'Overijssel', 'Flevoland',
                      'Gelderland', 'Utrecht', 'Noord-Holland', 'Zuid-Holland',
                      'Zeeland', 'Noord-Brabant', 'Limburg')),
    inwoners      integer NOT NULL CHECK (inwoners > 0),
    peildatum     date NOT NULL,
    -- CBS size class (gemeentegrootteklasse) from the number of inhabitants.
    grootteklasse smallint GENERATED ALWAYS AS (
                      CASE
                          WHEN inwoners <   5000 THEN 1
                          WHEN inwoners <  10000 THEN 2
                          WHEN inwoners <  20000 THEN 3
                          WHEN inwoners <  50000 THEN 4
                          WHEN inwoners < 100000 THEN 5
                          WHEN inwoners < 150000 THEN 6
                          WHEN inwoners < 250000 THEN 7
                          ELSE 8
                      END) STORED,
    referentie    boolean NOT NULL DEFAULT false,
    herkomst      herkomst NOT NULL DEFAULT 'bron'
);
CREATE INDEX gemeenten_provincie_idx ON gemeenten (provincie);

CREATE TABLE gemeente_bronnen (
    gemeente text NOT NULL REFERENCES gemeenten (code) ON DELETE CASCADE,
    bron     text NOT NULL REFERENCES bronnen (id),
    volgorde integer NOT NULL CHECK (volgorde >= 0),
    PRIMARY KEY (gemeente, bron),
    UNIQUE (gemeente, volgorde)
);

-- ---------------------------------------------------------------------------
-- Success factors (succesfactoren.json)
-- ---------------------------------------------------------------------------
CREATE TABLE succesfactoren (
    code         text PRIMARY KEY CHECK (code ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    naam         text NOT NULL CHECK (btrim(naam) <> ''),
    omschrijving text NOT NULL,
    herkomst     herkomst NOT NULL,
    volgorde     integer NOT NULL UNIQUE CHECK (volgorde >= 0)
);

CREATE TABLE succesfactor_bronnen (
    succesfactor text NOT NULL REFERENCES succesfactoren (code) ON DELETE CASCADE,
    bron         text NOT NULL REFERENCES bronnen (id),
    volgorde     integer NOT NULL CHECK (volgorde >= 0),
    PRIMARY KEY (succesfactor, bron),
    UNIQUE (succesfactor, volgorde)
);

CREATE TABLE succesfactor_gemeenten (
    succesfactor text NOT NULL REFERENCES succesfactoren (code) ON DELETE CASCADE,
    gemeente     text NOT NULL REFERENCES gemeenten (code),
    volgorde     integer NOT NULL CHECK (volgorde >= 0),
    PRIMARY KEY (succesfactor, gemeente),
    UNIQUE (succesfactor, volgorde)
);

-- ---------------------------------------------------------------------------
-- Success stories of the reference municipalities (succesverhalen.json)
-- ---------------------------------------------------------------------------
CREATE TABLE succesverhalen (
    gemeente     text PRIMARY KEY REFERENCES gemeenten (code),
    titel        text NOT NULL CHECK (btrim(titel) <> ''),
    samenvatting text NOT NULL,
    organisatie  text,
    herkomst     herkomst NOT NULL
);

CREATE TABLE succesverhaal_praktijken (
    gemeente text NOT NULL REFERENCES succesverhalen (gemeente) ON DELETE CASCADE,
    volgorde integer NOT NULL CHECK (volgorde >= 0),
    tekst    text NOT NULL CHECK (btrim(tekst) <> ''),
    PRIMARY KEY (gemeente, volgorde)
);

CREATE TABLE succesverhaal_bronnen (
    gemeente text NOT NULL REFERENCES succesverhalen (gemeente) ON DELETE CASCADE,
    bron     text NOT NULL REFERENCES bronnen (id),
    volgorde integer NOT NULL CHECK (volgorde >= 0),
    PRIMARY KEY (gemeente, bron),
    UNIQUE (gemeente, volgorde)
);

-- Result figures; `bron` cites a source by its full url.
CREATE TABLE kengetallen (
    gemeente  text NOT NULL REFERENCES succesverhalen (gemeente) ON DELETE CASCADE,
    volgorde  integer NOT NULL CHECK (volgorde >= 0),
    code      text NOT NULL CHECK (code ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    naam      text NOT NULL CHECK (btrim(naam) <> ''),
    waarde    numeric NOT NULL,
    eenheid   text NOT NULL,
    jaar      text,
    herkomst  herkomst NOT NULL,
    bron      text REFERENCES bronnen (url),
    opmerking text,
    PRIMARY KEY (gemeente, volgorde)
);

-- ---------------------------------------------------------------------------
-- Team profiles (reference profiles from the seed, others via the API)
-- ---------------------------------------------------------------------------
CREATE TABLE teamprofielen (
    uuid        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    gemeente    text NOT NULL REFERENCES gemeenten (code),
    peildatum   date NOT NULL,
    herkomst    herkomst NOT NULL,
    referentie  boolean NOT NULL DEFAULT false,
    toelichting text,
    versie      integer NOT NULL DEFAULT 1 CHECK (versie > 0),
    aangemaakt  timestamptz NOT NULL DEFAULT now(),
    gewijzigd   timestamptz NOT NULL DEFAULT now(),
    client_id   text
);
CREATE INDEX teamprofielen_gemeente_peildatum_idx ON teamprofielen (gemeente, peildatum DESC);
-- At most one reference profile per municipality.
CREATE UNIQUE INDEX teamprofielen_referentie_uniek ON teamprofielen (gemeente) WHERE referentie;

CREATE TABLE teamprofiel_bronnen (
    profiel  uuid NOT NULL REFERENCES teamprofielen (uuid) ON DELETE CASCADE,
    bron     text NOT NULL REFERENCES bronnen (id),
    volgorde integer NOT NULL CHECK (volgorde >= 0),
    PRIMARY KEY (profiel, bron),
    UNIQUE (profiel, volgorde)
);

-- Members: volgnummer is the position in `leden` (max 500 members).
CREATE TABLE teamleden (
    profiel    uuid NOT NULL REFERENCES teamprofielen (uuid) ON DELETE CASCADE,
    volgnummer integer NOT NULL CHECK (volgnummer >= 0 AND volgnummer < 500),
    label      text NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
    fte        numeric NOT NULL CHECK (fte > 0 AND fte <= 1.5),
    PRIMARY KEY (profiel, volgnummer),
    UNIQUE (profiel, label)
);

CREATE TABLE teamlid_rollen (
    profiel    uuid NOT NULL,
    volgnummer integer NOT NULL,
    rol        text NOT NULL REFERENCES rollen (code),
    aandeel    numeric NOT NULL CHECK (aandeel > 0 AND aandeel <= 1.5),
    volgorde   integer NOT NULL CHECK (volgorde >= 0),
    PRIMARY KEY (profiel, volgnummer, rol),
    UNIQUE (profiel, volgnummer, volgorde),
    FOREIGN KEY (profiel, volgnummer) REFERENCES teamleden (profiel, volgnummer) ON DELETE CASCADE
);
CREATE INDEX teamlid_rollen_rol_idx ON teamlid_rollen (rol);

CREATE TABLE teamlid_competenties (
    profiel     uuid NOT NULL,
    volgnummer  integer NOT NULL,
    competentie text NOT NULL REFERENCES competenties (code),
    niveau      smallint NOT NULL REFERENCES niveaus (niveau),
    volgorde    integer NOT NULL CHECK (volgorde >= 0),
    PRIMARY KEY (profiel, volgnummer, competentie),
    UNIQUE (profiel, volgnummer, volgorde),
    FOREIGN KEY (profiel, volgnummer) REFERENCES teamleden (profiel, volgnummer) ON DELETE CASCADE
);
CREATE INDEX teamlid_competenties_competentie_idx ON teamlid_competenties (competentie);

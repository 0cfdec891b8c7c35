#!/usr/bin/env python3
"""Generate sql/migrations/0002_seed.sql from the Teamplotter data pack.

Usage:
    python3 scripts/gen-seed.py [--data DIR] [--out FILE]   # write the seed (stdout by default)
    python3 scripts/gen-seed.py [--data DIR] --check        # compare with the committed seed

The data pack defaults to <repo>/../shared/data. The output is deterministic: the
same data pack always gives a byte-identical file.

Exit codes:
    0  seed written, or --check found the committed seed up to date
       (also when --check runs without a data pack: "data pack not present, skipped")
    1  --check: the committed seed differs from the regenerated one (or is missing)
    2  the data pack is missing (without --check) or breaks one of its invariants;
       every problem found is printed, naming the offending item

Standard library only.
"""

import argparse
import csv
import datetime
import decimal
import difflib
import io
import json
import os
import re
import sys
import uuid

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_DATA = os.path.normpath(os.path.join(REPO, "..", "shared", "data"))
SEED_PATH = os.path.join(REPO, "sql", "migrations", "0002_seed.sql")

KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
GEMEENTECODE = re.compile(r"^GM[0-9]{4}$")
BRON_ID = re.compile(r"^[A-Za-z0-9_-]+$")
URL = re.compile(r"^https?://\S+$")

HERKOMST = ("publicatie", "bron", "afgeleid", "schatting", "opgave", "demo")
BRON_SOORTEN = ("publicatie", "productpagina", "artikel", "interview", "blog", "nieuws",
                "monitor", "casus", "webpagina", "jaarverslag", "presentatie", "rapport",
                "dataset", "raamwerk", "regelgeving")
COMPETENTIE_SOORTEN = ("kennis", "vaardigheid", "houding")
PROVINCIES = ("Groningen", "Friesland", "Drenthe", "Overijssel", "Flevoland", "Gelderland",
              "Utrecht", "Noord-Holland", "Zuid-Holland", "Zeeland", "Noord-Brabant", "Limburg")
# The seven reference municipalities of the publication (also in the data pack's README).
REFERENTIEGEMEENTEN = {
    "GM0855": "Tilburg", "GM0344": "Utrecht", "GM0074": "Heerenveen", "GM0050": "Zeewolde",
    "GM1940": "De Fryske Marren", "GM0715": "Terneuzen", "GM0394": "Haarlemmermeer",
}
GEMEENTEN_AANTAL = 355
GEMEENTE_BRONNEN = ("CWN", "MZ")        # every municipality cites these (data/README.md)
VERPLICHTE_ROL = "verbinder"            # every reference team covers it
MAX_LEDEN = 500
FTE_MAX = decimal.Decimal("1.5")
SOM_TOLERANTIE = decimal.Decimal("0.001")
CATALOGUS_SAMENVATTING = "Eerste catalogus uit het datapakket"
UUID_PREFIX = "urn:teamplotter:referentieteam:"

BRONNEN_KOLOMMEN = ["id", "url", "titel", "uitgever", "jaar", "soort"]
GEMEENTEN_KOLOMMEN = ["code", "naam", "provincie", "inwoners", "peildatum"]


class DataError(Exception):
    pass


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------

def _no_duplicate_keys(pairs):
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise ValueError("duplicate key %r" % key)
        obj[key] = value
    return obj


def _reject_constant(name):
    raise ValueError("non-finite number %s" % name)


def load_json(path):
    try:
        with open(path, "r", encoding="utf-8") as fh:
            text = fh.read()
        # Decimal keeps every number exactly as written (0.3 stays 0.3).
        return json.loads(text, parse_float=decimal.Decimal,
                          parse_constant=_reject_constant,
                          object_pairs_hook=_no_duplicate_keys)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise DataError("%s: cannot read: %s" % (os.path.basename(path), exc))


def load_csv(path, columns):
    name = os.path.basename(path)
    try:
        with open(path, "r", encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh, strict=True)
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DataError("%s: cannot read: %s" % (name, exc))
    if not rows or rows[0] != columns:
        raise DataError("%s: header must be %s" % (name, ",".join(columns)))
    out = []
    for lineno, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        if len(row) != len(columns):
            raise DataError("%s line %d: expected %d fields, got %d"
                            % (name, lineno, len(columns), len(row)))
        out.append(dict(zip(columns, row)))
    return out


def load_pack(data_dir):
    return {
        "catalogus": load_json(os.path.join(data_dir, "catalogus.json")),
        "succesfactoren": load_json(os.path.join(data_dir, "succesfactoren.json")),
        "succesverhalen": load_json(os.path.join(data_dir, "succesverhalen.json")),
        "referentieteams": load_json(os.path.join(data_dir, "referentieteams.json")),
        "bronnen": load_csv(os.path.join(data_dir, "bronnen.csv"), BRONNEN_KOLOMMEN),
        "gemeenten": load_csv(os.path.join(data_dir, "gemeenten-2020.csv"), GEMEENTEN_KOLOMMEN),
    }


# ---------------------------------------------------------------------------
# Validation: the invariants at the end of data/README.md, plus everything the
# schema would reject anyway (so a broken pack fails here, naming the item).
# ---------------------------------------------------------------------------

def is_number(v):
    return isinstance(v, (int, decimal.Decimal)) and not isinstance(v, bool)


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def is_text(v):
    return isinstance(v, str) and v.strip() != "" and "\x00" not in v


def is_opt_text(v):
    return v is None or (isinstance(v, str) and "\x00" not in v)


def is_date(v):
    if not isinstance(v, str) or not re.match(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", v):
        return False
    try:
        datetime.date.fromisoformat(v)
    except ValueError:
        return False
    return True


def as_list(v):
    return v if isinstance(v, list) else None


class Validator:
    def __init__(self, pack):
        self.pack = pack
        self.errors = []
        self.bron_ids = set()
        self.bron_urls = set()
        self.gemeenten = {}
        self.familie_codes = set()
        self.competentie_codes = set()
        self.rollen = {}

    def err(self, where, msg):
        self.errors.append("%s: %s" % (where, msg))

    def need(self, cond, where, msg):
        if not cond:
            self.err(where, msg)
        return cond

    def fields(self, obj, where, required):
        if not isinstance(obj, dict):
            self.err(where, "must be an object")
            return False
        ok = True
        for key in required:
            if key not in obj:
                self.err(where, "missing field %r" % key)
                ok = False
        return ok

    def code(self, value, where, seen):
        if not isinstance(value, str) or not KEBAB.match(value):
            self.err(where, "code %r is not kebab-case" % (value,))
            return False
        if value in seen:
            self.err(where, "duplicate code %r" % value)
            return False
        seen.add(value)
        return True

    def herkomst(self, value, where, field="herkomst"):
        self.need(value in HERKOMST, where, "%s %r is not one of %s"
                  % (field, value, "/".join(HERKOMST)))

    def bron_id_list(self, value, where):
        lst = as_list(value)
        if lst is None:
            self.err(where, "bronnen must be a list")
            return
        seen = set()
        for b in lst:
            if b not in self.bron_ids:
                self.err(where, "source id %r is not in bronnen.csv" % (b,))
            if b in seen:
                self.err(where, "source id %r cited twice" % (b,))
            seen.add(b)

    def text_list(self, value, where, what, lo=None, hi=None, unique=False):
        lst = as_list(value)
        if lst is None:
            self.err(where, "%s must be a list" % what)
            return
        if lo is not None and not (lo <= len(lst) <= hi):
            self.err(where, "has %d %s, expected %d-%d" % (len(lst), what, lo, hi))
        seen = set()
        for i, t in enumerate(lst):
            if not is_text(t):
                self.err("%s %s[%d]" % (where, what, i), "must be a non-empty string")
            elif unique and t in seen:
                self.err("%s %s[%d]" % (where, what, i), "duplicate %r" % t)
            seen.add(t)

    # -- bronnen.csv ---------------------------------------------------------
    def check_bronnen(self):
        for i, r in enumerate(self.pack["bronnen"]):
            where = "bronnen.csv row %d (%s)" % (i + 2, r["id"] or "?")
            if self.need(BRON_ID.match(r["id"]) is not None, where, "bad id %r" % r["id"]):
                self.need(r["id"] not in self.bron_ids, where, "duplicate id %r" % r["id"])
                self.bron_ids.add(r["id"])
            if self.need(URL.match(r["url"]) is not None, where, "bad url %r" % r["url"]):
                self.need(r["url"] not in self.bron_urls, where, "duplicate url %r" % r["url"])
                self.bron_urls.add(r["url"])
            self.need(is_text(r["titel"]), where, "empty titel")
            self.need(r["jaar"] == "" or re.match(r"^[0-9]{4}$", r["jaar"]) is not None,
                      where, "jaar %r is not empty or a year" % r["jaar"])
            self.need(r["soort"] in BRON_SOORTEN, where, "soort %r is not allowed" % r["soort"])

    # -- gemeenten-2020.csv --------------------------------------------------
    def check_gemeenten(self):
        rows = self.pack["gemeenten"]
        for i, r in enumerate(rows):
            where = "gemeenten-2020.csv row %d (%s)" % (i + 2, r["code"] or "?")
            if self.need(GEMEENTECODE.match(r["code"]) is not None, where,
                         "bad code %r" % r["code"]):
                self.need(r["code"] not in self.gemeenten, where, "duplicate code")
                self.gemeenten[r["code"]] = r
            self.need(is_text(r["naam"]), where, "empty naam")
            self.need(r["provincie"] in PROVINCIES, where,
                      "provincie %r is not one of the 12" % r["provincie"])
            self.need(re.match(r"^[1-9][0-9]*$", r["inwoners"]) is not None
                      and int(r["inwoners"]) < 2 ** 31, where,
                      "inwoners %r is not a positive integer" % r["inwoners"])
            self.need(is_date(r["peildatum"]), where, "peildatum %r is not a date" % r["peildatum"])
        self.need(len(rows) == GEMEENTEN_AANTAL, "gemeenten-2020.csv",
                  "has %d municipalities, expected %d" % (len(rows), GEMEENTEN_AANTAL))
        for b in GEMEENTE_BRONNEN:
            self.need(b in self.bron_ids, "gemeenten-2020.csv",
                      "cited source %r is not in bronnen.csv" % b)
        for code, naam in sorted(REFERENTIEGEMEENTEN.items()):
            g = self.gemeenten.get(code)
            if self.need(g is not None, "gemeenten-2020.csv",
                         "reference municipality %s (%s) is missing" % (code, naam)):
                self.need(g["naam"] == naam, "gemeenten-2020.csv %s" % code,
                          "naam %r, expected %r" % (g["naam"], naam))

    # -- catalogus.json ------------------------------------------------------
    def check_catalogus(self):
        c = self.pack["catalogus"]
        f = "catalogus.json"
        if not self.fields(c, f, ["versie", "toelichting", "schaalBron", "schaal",
                                  "families", "competenties", "rollen"]):
            return
        self.need(is_text(c["versie"]), f, "versie must be a non-empty string")
        self.need(is_opt_text(c["toelichting"]), f, "toelichting must be a string")
        self.need(c["schaalBron"] in self.bron_ids, f,
                  "schaalBron %r is not in bronnen.csv" % (c["schaalBron"],))

        schaal = as_list(c["schaal"]) or []
        self.need(isinstance(c["schaal"], list), f, "schaal must be a list")
        niveaus, codes = [], set()
        for i, s in enumerate(schaal):
            where = "%s schaal[%d]" % (f, i)
            if not self.fields(s, where, ["niveau", "code", "naam", "omschrijving"]):
                continue
            if self.need(is_int(s["niveau"]) and 1 <= s["niveau"] <= 4, where,
                         "niveau %r is not an integer 1-4" % (s["niveau"],)):
                niveaus.append(s["niveau"])
            self.code(s["code"], where, codes)
            self.need(is_text(s["naam"]), where, "empty naam")
            self.need(is_text(s["omschrijving"]), where, "empty omschrijving")
        self.need(sorted(niveaus) == [1, 2, 3, 4], f + " schaal",
                  "must hold the levels 1, 2, 3, 4 once each (has %s)" % niveaus)

        for i, fam in enumerate(as_list(c["families"]) or []):
            where = "%s families[%d]" % (f, i)
            if not self.fields(fam, where, ["code", "naam", "omschrijving"]):
                continue
            self.code(fam["code"], where + " (%s)" % fam["code"], self.familie_codes)
            self.need(is_text(fam["naam"]), where, "empty naam")
            self.need(is_text(fam["omschrijving"]), where, "empty omschrijving")
        self.need(isinstance(c["families"], list), f, "families must be a list")

        for i, comp in enumerate(as_list(c["competenties"]) or []):
            where = "%s competenties[%d]" % (f, i)
            if not self.fields(comp, where, ["code", "naam", "omschrijving", "soort"]):
                continue
            where += " (%s)" % comp["code"]
            self.code(comp["code"], where, self.competentie_codes)
            self.need(is_text(comp["naam"]), where, "empty naam")
            self.need(is_text(comp["omschrijving"]), where, "empty omschrijving")
            self.need(comp["soort"] in COMPETENTIE_SOORTEN, where,
                      "soort %r is not kennis/vaardigheid/houding" % (comp["soort"],))
        self.need(isinstance(c["competenties"], list), f, "competenties must be a list")

        used = set()
        rol_codes = set()
        for i, rol in enumerate(as_list(c["rollen"]) or []):
            where = "%s rollen[%d]" % (f, i)
            if not self.fields(rol, where, ["code", "naam", "familie", "omschrijving", "kernrol",
                                            "kernrolBron", "herkomst", "bronnen", "synoniemen",
                                            "taken", "competenties", "richtFteMinimum"]):
                continue
            where += " (%s)" % rol["code"]
            if self.code(rol["code"], where, rol_codes):
                self.rollen[rol["code"]] = rol
            self.need(is_text(rol["naam"]), where, "empty naam")
            self.need(is_text(rol["omschrijving"]), where, "empty omschrijving")
            self.need(rol["familie"] in self.familie_codes, where,
                      "familie %r does not exist" % (rol["familie"],))
            if self.need(isinstance(rol["kernrol"], bool), where, "kernrol must be a boolean"):
                if rol["kernrol"]:
                    self.herkomst(rol["kernrolBron"], where, "kernrolBron")
                else:
                    self.need(rol["kernrolBron"] is None, where,
                              "kernrolBron must be null when kernrol is false")
            self.herkomst(rol["herkomst"], where)
            self.bron_id_list(rol["bronnen"], where)
            self.text_list(rol["synoniemen"], where, "synoniemen", unique=True)
            self.text_list(rol["taken"], where, "taken", 3, 6)
            r = rol["richtFteMinimum"]
            self.need(is_number(r) and 0 < r <= FTE_MAX, where,
                      "richtFteMinimum %r is not in (0, 1.5]" % (r,))
            comps = as_list(rol["competenties"])
            if not self.need(comps is not None, where, "competenties must be a list"):
                continue
            self.need(3 <= len(comps) <= 6, where,
                      "has %d competenties, expected 3-6" % len(comps))
            seen, essentieel, after_optional = set(), 0, False
            for j, rc in enumerate(comps):
                w = "%s competenties[%d]" % (where, j)
                if not self.fields(rc, w, ["code", "niveau", "essentieel"]):
                    continue
                w += " (%s)" % rc["code"]
                self.need(rc["code"] in self.competentie_codes, w, "competency does not exist")
                self.need(rc["code"] not in seen, w, "competency listed twice")
                seen.add(rc["code"])
                used.add(rc["code"])
                self.need(is_int(rc["niveau"]) and 1 <= rc["niveau"] <= 4, w,
                          "niveau %r is not an integer 1-4" % (rc["niveau"],))
                if self.need(isinstance(rc["essentieel"], bool), w,
                             "essentieel must be a boolean"):
                    if rc["essentieel"]:
                        essentieel += 1
                        self.need(not after_optional, w, "essential competencies must come first")
                    else:
                        after_optional = True
            self.need(2 <= essentieel <= 3, where,
                      "has %d essential competencies, expected 2-3" % essentieel)
        self.need(isinstance(c["rollen"], list), f, "rollen must be a list")
        for comp in as_list(c["competenties"]) or []:
            if isinstance(comp, dict) and comp.get("code") not in used:
                self.err("%s competentie %s" % (f, comp.get("code")), "is not used by any role")

    # -- succesfactoren.json -------------------------------------------------
    def check_succesfactoren(self):
        d = self.pack["succesfactoren"]
        f = "succesfactoren.json"
        if not self.fields(d, f, ["succesfactoren"]):
            return
        codes = set()
        for i, s in enumerate(as_list(d["succesfactoren"]) or []):
            where = "%s succesfactoren[%d]" % (f, i)
            if not self.fields(s, where, ["code", "naam", "omschrijving", "herkomst",
                                          "bronnen", "voorbeeldgemeenten"]):
                continue
            where += " (%s)" % s["code"]
            self.code(s["code"], where, codes)
            self.need(is_text(s["naam"]), where, "empty naam")
            self.need(is_text(s["omschrijving"]), where, "empty omschrijving")
            self.herkomst(s["herkomst"], where)
            self.bron_id_list(s["bronnen"], where)
            gems = as_list(s["voorbeeldgemeenten"])
            if self.need(gems is not None, where, "voorbeeldgemeenten must be a list"):
                self.need(len(set(gems)) == len(gems), where, "voorbeeldgemeenten has duplicates")
                for g in gems:
                    self.need(g in self.gemeenten, where, "municipality %r does not exist" % (g,))
        self.need(isinstance(d["succesfactoren"], list), f, "succesfactoren must be a list")

    # -- succesverhalen.json -------------------------------------------------
    def check_succesverhalen(self):
        d = self.pack["succesverhalen"]
        f = "succesverhalen.json"
        if not self.fields(d, f, ["succesverhalen"]):
            return
        seen = set()
        for i, v in enumerate(as_list(d["succesverhalen"]) or []):
            where = "%s succesverhalen[%d]" % (f, i)
            if not self.fields(v, where, ["gemeente", "naam", "titel", "samenvatting",
                                          "praktijken", "organisatie", "herkomst",
                                          "bronnen", "kengetallen"]):
                continue
            where += " (%s)" % v["gemeente"]
            g = self.gemeenten.get(v["gemeente"])
            if self.need(g is not None, where, "municipality does not exist"):
                self.need(v["naam"] == g["naam"], where, "naam %r differs from gemeenten-2020.csv %r"
                          % (v["naam"], g["naam"]))
            self.need(v["gemeente"] not in seen, where, "second story for this municipality")
            seen.add(v["gemeente"])
            self.need(is_text(v["titel"]), where, "empty titel")
            self.need(is_text(v["samenvatting"]), where, "empty samenvatting")
            self.need(is_opt_text(v["organisatie"]), where, "organisatie must be a string or null")
            self.herkomst(v["herkomst"], where)
            self.text_list(v["praktijken"], where, "praktijken")
            self.bron_id_list(v["bronnen"], where)
            for j, k in enumerate(as_list(v["kengetallen"]) or []):
                w = "%s kengetallen[%d]" % (where, j)
                if not self.fields(k, w, ["code", "naam", "waarde", "eenheid", "jaar",
                                          "herkomst", "bron", "opmerking"]):
                    continue
                w += " (%s)" % k["code"]
                self.need(isinstance(k["code"], str) and KEBAB.match(k["code"]) is not None,
                          w, "code is not kebab-case")
                self.need(is_text(k["naam"]), w, "empty naam")
                self.need(is_number(k["waarde"]), w, "waarde %r is not a number" % (k["waarde"],))
                self.need(isinstance(k["eenheid"], str), w, "eenheid must be a string")
                self.need(is_opt_text(k["jaar"]), w, "jaar must be a string or null")
                self.herkomst(k["herkomst"], w)
                self.need(k["bron"] is None or k["bron"] in self.bron_urls, w,
                          "bron %r is not a url in bronnen.csv" % (k["bron"],))
                self.need(is_opt_text(k["opmerking"]), w, "opmerking must be a string or null")
            self.need(isinstance(v["kengetallen"], list), where, "kengetallen must be a list")
        self.need(isinstance(d["succesverhalen"], list), f, "succesverhalen must be a list")
        self.need(seen == set(REFERENTIEGEMEENTEN), f,
                  "must hold one story for each of the seven reference municipalities "
                  "(missing %s, extra %s)" % (sorted(set(REFERENTIEGEMEENTEN) - seen),
                                               sorted(seen - set(REFERENTIEGEMEENTEN))))

    # -- referentieteams.json ------------------------------------------------
    def check_referentieteams(self):
        d = self.pack["referentieteams"]
        f = "referentieteams.json"
        if not self.fields(d, f, ["versie", "herkomst", "profielen"]):
            return
        cat = self.pack["catalogus"]
        if isinstance(cat, dict):
            self.need(d["versie"] == cat.get("versie"), f,
                      "versie %r differs from catalogus.json %r" % (d["versie"], cat.get("versie")))
        self.herkomst(d["herkomst"], f)
        count = {}
        for i, p in enumerate(as_list(d["profielen"]) or []):
            where = "%s profielen[%d]" % (f, i)
            if not self.fields(p, where, ["gemeente", "peildatum", "herkomst", "bronnen",
                                          "toelichting", "leden"]):
                continue
            where += " (%s)" % p["gemeente"]
            self.need(p["gemeente"] in self.gemeenten, where, "municipality does not exist")
            count[p["gemeente"]] = count.get(p["gemeente"], 0) + 1
            self.need(is_date(p["peildatum"]), where, "peildatum %r is not a date" % (p["peildatum"],))
            self.herkomst(p["herkomst"], where)
            self.bron_id_list(p["bronnen"], where)
            self.need(is_opt_text(p["toelichting"]), where, "toelichting must be a string or null")
            leden = as_list(p["leden"])
            if not self.need(leden is not None, where, "leden must be a list"):
                continue
            self.need(1 <= len(leden) <= MAX_LEDEN, where,
                      "has %d members, expected 1-%d" % (len(leden), MAX_LEDEN))
            labels, rollen_in_team = set(), set()
            for j, lid in enumerate(leden):
                w = "%s leden[%d]" % (where, j)
                if not self.fields(lid, w, ["label", "fte", "rollen", "competenties"]):
                    continue
                w += " (%s)" % (lid["label"],)
                if self.need(isinstance(lid["label"], str) and 1 <= len(lid["label"]) <= 200
                             and "\x00" not in lid["label"], w, "label must be 1-200 characters"):
                    self.need(lid["label"] not in labels, w, "label is not unique in the profile")
                    labels.add(lid["label"])
                fte = lid["fte"]
                fte_ok = self.need(is_number(fte) and 0 < fte <= FTE_MAX, w,
                                   "fte %r is not in (0, 1.5]" % (fte,))
                rollen = as_list(lid["rollen"])
                if self.need(rollen is not None and len(rollen) >= 1, w,
                             "rollen must be a non-empty list"):
                    total, seen_rol, shares_ok = decimal.Decimal(0), set(), True
                    for k, rr in enumerate(rollen):
                        wr = "%s rollen[%d]" % (w, k)
                        if not self.fields(rr, wr, ["rol", "aandeel"]):
                            shares_ok = False
                            continue
                        wr += " (%s)" % (rr["rol"],)
                        self.need(rr["rol"] in self.rollen, wr, "role does not exist")
                        self.need(rr["rol"] not in seen_rol, wr, "role listed twice")
                        seen_rol.add(rr["rol"])
                        rollen_in_team.add(rr["rol"])
                        a = rr["aandeel"]
                        if self.need(is_number(a) and 0 < a <= FTE_MAX, wr,
                                     "aandeel %r is not in (0, 1.5]" % (a,)):
                            total += a
                        else:
                            shares_ok = False
                    if fte_ok and shares_ok:
                        self.need(abs(total - fte) <= SOM_TOLERANTIE, w,
                                  "role shares sum to %s, fte is %s" % (total, fte))
                comps = as_list(lid["competenties"])
                if self.need(comps is not None, w, "competenties must be a list"):
                    self.need(3 <= len(comps) <= 6, w,
                              "has %d competenties, expected 3-6" % len(comps))
                    seen_c = set()
                    for k, cc in enumerate(comps):
                        wc = "%s competenties[%d]" % (w, k)
                        if not self.fields(cc, wc, ["code", "niveau"]):
                            continue
                        wc += " (%s)" % (cc["code"],)
                        self.need(cc["code"] in self.competentie_codes, wc,
                                  "competency does not exist")
                        self.need(cc["code"] not in seen_c, wc, "competency listed twice")
                        seen_c.add(cc["code"])
                        self.need(is_int(cc["niveau"]) and 1 <= cc["niveau"] <= 4, wc,
                                  "niveau %r is not an integer 1-4" % (cc["niveau"],))
            self.need(VERPLICHTE_ROL in rollen_in_team, where,
                      "does not cover the role %r" % VERPLICHTE_ROL)
            self.check_essentials_covered(leden, where)
        self.need(isinstance(d["profielen"], list), f, "profielen must be a list")
        for code, naam in sorted(REFERENTIEGEMEENTEN.items()):
            self.need(count.get(code, 0) == 1, f, "reference municipality %s (%s) appears %d "
                      "times, expected once" % (code, naam, count.get(code, 0)))
        for code in sorted(set(count) - set(REFERENTIEGEMEENTEN)):
            self.err(f, "%s is not one of the seven reference municipalities" % code)

    def check_essentials_covered(self, leden, where):
        """data/README.md: every essential competency of every role a team fields is
        held at the required level by a member in that role."""
        try:
            holders = {}
            for lid in leden:
                levels = {c["code"]: c["niveau"] for c in lid["competenties"]}
                for rr in lid["rollen"]:
                    holders.setdefault(rr["rol"], []).append(levels)
        except (KeyError, TypeError):
            return  # shape errors are reported by the checks above
        for rol, members in holders.items():
            for rc in (self.rollen.get(rol) or {}).get("competenties") or []:
                if not (isinstance(rc, dict) and rc.get("essentieel") is True):
                    continue
                need = rc.get("niveau")
                if not any(is_int(m.get(rc.get("code"))) and is_int(need)
                           and m[rc["code"]] >= need for m in members):
                    self.err(where, "no member in role %s holds essential competency %s "
                             "at level %s" % (rol, rc.get("code"), need))

    # -- every source id / url cited anywhere in the JSON files --------------
    def check_citations(self):
        def walk(node, path, fname):
            if isinstance(node, dict):
                for key, value in node.items():
                    p = "%s.%s" % (path, key) if path else key
                    if key == "bronnen" and isinstance(value, list):
                        for i, b in enumerate(value):
                            self.need(b in self.bron_ids, "%s %s[%d]" % (fname, p, i),
                                      "source id %r is not in bronnen.csv" % (b,))
                    elif key in ("bron", "schaalBron") and value is not None:
                        self.need(value in self.bron_ids or value in self.bron_urls,
                                  "%s %s" % (fname, p),
                                  "source %r is not in bronnen.csv" % (value,))
                    else:
                        walk(value, p, fname)
            elif isinstance(node, list):
                for i, value in enumerate(node):
                    walk(value, "%s[%d]" % (path, i), fname)
            elif isinstance(node, str):
                for url in re.findall(r"https?://[^\s\"'<>)]+", node):
                    self.need(url in self.bron_urls, "%s %s" % (fname, path),
                              "url %r is not in bronnen.csv" % url)

        for key in ("catalogus", "succesfactoren", "succesverhalen", "referentieteams"):
            walk(self.pack[key], "", key + ".json")

    def run(self):
        self.check_bronnen()
        self.check_gemeenten()
        self.check_catalogus()
        self.check_succesfactoren()
        self.check_succesverhalen()
        self.check_referentieteams()
        self.check_citations()
        # de-duplicate while keeping order (the citation walk repeats some checks)
        seen, out = set(), []
        for e in self.errors:
            if e not in seen:
                seen.add(e)
                out.append(e)
        return out


# ---------------------------------------------------------------------------
# SQL rendering
# ---------------------------------------------------------------------------

def q(v):
    """A PostgreSQL literal (standard_conforming_strings: only ' needs doubling)."""
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, decimal.Decimal):
        # str() of the parsed Decimal is the text of the JSON source.
        return str(v)
    if isinstance(v, str):
        if "\x00" in v:
            raise DataError("NUL character in %r" % v)
        return "'" + v.replace("'", "''") + "'"
    raise TypeError("no SQL literal for %r" % (v,))


def profiel_uuid(gemeente, peildatum):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, UUID_PREFIX + gemeente + ":" + peildatum))


class Seed:
    def __init__(self):
        self.parts = []

    def comment(self, text):
        self.parts.append("-- %s\n" % text)

    def insert(self, table, columns, rows, note):
        if not rows:
            self.parts.append("-- %s: no rows (%s)\n\n" % (table, note))
            return
        out = ["-- %s: %d row%s (%s)\n" % (table, len(rows), "" if len(rows) == 1 else "s", note),
               "INSERT INTO %s (%s) VALUES\n" % (table, ", ".join(columns))]
        lines = []
        for row in rows:
            assert len(row) == len(columns), (table, row)
            lines.append("    (" + ", ".join(q(v) for v in row) + ")")
        out.append(",\n".join(lines) + ";\n\n")
        self.parts.append("".join(out))

    def text(self):
        return "".join(self.parts).rstrip("\n") + "\n"


def render(pack):
    cat = pack["catalogus"]
    sf = pack["succesfactoren"]["succesfactoren"]
    sv = pack["succesverhalen"]["succesverhalen"]
    teams = pack["referentieteams"]["profielen"]
    ref_codes = {p["gemeente"] for p in teams}

    s = Seed()
    s.comment("0002_seed.sql: GENERATED FILE, DO NOT EDIT BY HAND.")
    s.comment("Generated by scripts/gen-seed.py from the Teamplotter data pack "
              "(../shared/data, catalogue version %s)." % cat["versie"])
    s.comment("Regenerate: python3 scripts/gen-seed.py --out sql/migrations/0002_seed.sql")
    s.comment("Verify:     python3 scripts/gen-seed.py --check")
    s.comment("Applied by the migration runner inside one transaction (no BEGIN/COMMIT here).")
    s.parts.append("\n")

    s.insert("catalogus_versies", ["versie", "toelichting", "schaal_bron", "samenvatting"],
             [[cat["versie"], cat["toelichting"], cat["schaalBron"], CATALOGUS_SAMENVATTING]],
             "catalogus.json")

    s.insert("bronnen", ["id", "url", "titel", "uitgever", "jaar", "soort"],
             [[r["id"], r["url"], r["titel"], r["uitgever"] or None,
               int(r["jaar"]) if r["jaar"] else None, r["soort"]] for r in pack["bronnen"]],
             "bronnen.csv")

    s.insert("niveaus", ["niveau", "code", "naam", "omschrijving"],
             [[x["niveau"], x["code"], x["naam"], x["omschrijving"]] for x in cat["schaal"]],
             "catalogus.json schaal")

    s.insert("rolfamilies", ["code", "naam", "omschrijving", "volgorde"],
             [[x["code"], x["naam"], x["omschrijving"], i] for i, x in enumerate(cat["families"])],
             "catalogus.json families")

    s.insert("competenties", ["code", "naam", "omschrijving", "soort", "volgorde"],
             [[x["code"], x["naam"], x["omschrijving"], x["soort"], i]
              for i, x in enumerate(cat["competenties"])],
             "catalogus.json competenties")

    rollen = cat["rollen"]
    s.insert("rollen", ["code", "naam", "familie", "omschrijving", "kernrol", "kernrol_bron",
                        "herkomst", "richt_fte_minimum", "volgorde"],
             [[x["code"], x["naam"], x["familie"], x["omschrijving"], x["kernrol"],
               x["kernrolBron"], x["herkomst"], x["richtFteMinimum"], i]
              for i, x in enumerate(rollen)],
             "catalogus.json rollen")
    s.insert("rol_bronnen", ["rol", "bron", "volgorde"],
             [[x["code"], b, j] for x in rollen for j, b in enumerate(x["bronnen"])],
             "catalogus.json rollen[].bronnen")
    s.insert("rol_synoniemen", ["rol", "volgorde", "synoniem"],
             [[x["code"], j, t] for x in rollen for j, t in enumerate(x["synoniemen"])],
             "catalogus.json rollen[].synoniemen")
    s.insert("rol_taken", ["rol", "volgorde", "omschrijving"],
             [[x["code"], j, t] for x in rollen for j, t in enumerate(x["taken"])],
             "catalogus.json rollen[].taken")
    s.insert("rol_competenties", ["rol", "competentie", "niveau", "essentieel", "volgorde"],
             [[x["code"], c["code"], c["niveau"], c["essentieel"], j]
              for x in rollen for j, c in enumerate(x["competenties"])],
             "catalogus.json rollen[].competenties")

    gemeenten = pack["gemeenten"]
    s.insert("gemeenten", ["code", "naam", "provincie", "inwoners", "peildatum", "referentie",
                           "herkomst"],
             [[g["code"], g["naam"], g["provincie"], int(g["inwoners"]), g["peildatum"],
               g["code"] in ref_codes, "bron"] for g in gemeenten],
             "gemeenten-2020.csv; referentie = present in referentieteams.json")
    s.insert("gemeente_bronnen", ["gemeente", "bron", "volgorde"],
             [[g["code"], b, j] for g in gemeenten for j, b in enumerate(GEMEENTE_BRONNEN)],
             "every municipality cites %s" % " and ".join(GEMEENTE_BRONNEN))

    s.insert("succesfactoren", ["code", "naam", "omschrijving", "herkomst", "volgorde"],
             [[x["code"], x["naam"], x["omschrijving"], x["herkomst"], i]
              for i, x in enumerate(sf)],
             "succesfactoren.json")
    s.insert("succesfactor_bronnen", ["succesfactor", "bron", "volgorde"],
             [[x["code"], b, j] for x in sf for j, b in enumerate(x["bronnen"])],
             "succesfactoren.json bronnen")
    s.insert("succesfactor_gemeenten", ["succesfactor", "gemeente", "volgorde"],
             [[x["code"], g, j] for x in sf for j, g in enumerate(x["voorbeeldgemeenten"])],
             "succesfactoren.json voorbeeldgemeenten")

    s.insert("succesverhalen", ["gemeente", "titel", "samenvatting", "organisatie", "herkomst"],
             [[v["gemeente"], v["titel"], v["samenvatting"], v["organisatie"], v["herkomst"]]
              for v in sv],
             "succesverhalen.json")
    s.insert("succesverhaal_praktijken", ["gemeente", "volgorde", "tekst"],
             [[v["gemeente"], j, t] for v in sv for j, t in enumerate(v["praktijken"])],
             "succesverhalen.json praktijken")
    s.insert("succesverhaal_bronnen", ["gemeente", "bron", "volgorde"],
             [[v["gemeente"], b, j] for v in sv for j, b in enumerate(v["bronnen"])],
             "succesverhalen.json bronnen")
    s.insert("kengetallen", ["gemeente", "volgorde", "code", "naam", "waarde", "eenheid", "jaar",
                             "herkomst", "bron", "opmerking"],
             [[v["gemeente"], j, k["code"], k["naam"], k["waarde"], k["eenheid"], k["jaar"],
               k["herkomst"], k["bron"], k["opmerking"]]
              for v in sv for j, k in enumerate(v["kengetallen"])],
             "succesverhalen.json kengetallen")

    uuids = [profiel_uuid(p["gemeente"], p["peildatum"]) for p in teams]
    s.insert("teamprofielen", ["uuid", "gemeente", "peildatum", "herkomst", "referentie",
                               "toelichting"],
             [[u, p["gemeente"], p["peildatum"], p["herkomst"], True, p["toelichting"]]
              for u, p in zip(uuids, teams)],
             "referentieteams.json; uuid = uuid5(NAMESPACE_URL, '%s' || gemeente || ':' || "
             "peildatum)" % UUID_PREFIX)
    s.insert("teamprofiel_bronnen", ["profiel", "bron", "volgorde"],
             [[u, b, j] for u, p in zip(uuids, teams) for j, b in enumerate(p["bronnen"])],
             "referentieteams.json bronnen")
    s.insert("teamleden", ["profiel", "volgnummer", "label", "fte"],
             [[u, n, lid["label"], lid["fte"]]
              for u, p in zip(uuids, teams) for n, lid in enumerate(p["leden"])],
             "referentieteams.json leden; volgnummer = index")
    s.insert("teamlid_rollen", ["profiel", "volgnummer", "rol", "aandeel", "volgorde"],
             [[u, n, r["rol"], r["aandeel"], j]
              for u, p in zip(uuids, teams) for n, lid in enumerate(p["leden"])
              for j, r in enumerate(lid["rollen"])],
             "referentieteams.json leden[].rollen")
    s.insert("teamlid_competenties", ["profiel", "volgnummer", "competentie", "niveau",
                                      "volgorde"],
             [[u, n, c["code"], c["niveau"], j]
              for u, p in zip(uuids, teams) for n, lid in enumerate(p["leden"])
              for j, c in enumerate(lid["competenties"])],
             "referentieteams.json leden[].competenties")
    return s.text()


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------

def generate(data_dir):
    pack = load_pack(data_dir)
    try:
        errors = Validator(pack).run()
    except (TypeError, KeyError, AttributeError, ValueError) as exc:
        # a value of an unexpected JSON type somewhere the checks did not foresee
        raise DataError("data pack %s is malformed: %s: %s" % (data_dir, type(exc).__name__, exc))
    if errors:
        raise DataError("data pack %s breaks %d invariant(s):\n  - %s"
                        % (data_dir, len(errors), "\n  - ".join(errors)))
    return render(pack)


def diff_summary(old, new, path):
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    diff = list(difflib.unified_diff(a, b, fromfile=path + " (committed)",
                                     tofile=path + " (regenerated)", n=0))
    removed = sum(1 for l in diff if l.startswith("-") and not l.startswith("---"))
    added = sum(1 for l in diff if l.startswith("+") and not l.startswith("+++"))
    lines = ["%s is out of date: %d line(s) differ (-%d +%d)."
             % (path, max(removed, added), removed, added)]
    if not diff and old != new:
        lines.append("(only line endings or the final newline differ)")
    shown = [l.rstrip("\n") for l in diff[:20]]
    lines.extend(l if len(l) <= 160 else l[:157] + "..." for l in shown)
    if len(diff) > 20:
        lines.append("... (%d more diff lines)" % (len(diff) - 20))
    lines.append("Regenerate with: python3 scripts/gen-seed.py --out sql/migrations/0002_seed.sql")
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Generate the Teamplotter seed SQL from the data pack.")
    ap.add_argument("--data", default=DEFAULT_DATA, metavar="DIR",
                    help="data pack directory (default: %(default)s)")
    ap.add_argument("--out", metavar="FILE", help="write the seed here instead of stdout "
                    "(with --check: the file to compare, default sql/migrations/0002_seed.sql)")
    ap.add_argument("--check", action="store_true",
                    help="exit 1 if the committed seed differs from the regenerated one")
    args = ap.parse_args(argv)

    if not os.path.isdir(args.data):
        if args.check:
            print("data pack not present, skipped")
            return 0
        print("gen-seed: data pack directory %s not found" % args.data, file=sys.stderr)
        return 2

    try:
        sql = generate(args.data)
    except DataError as exc:
        print("gen-seed: %s" % exc, file=sys.stderr)
        return 2

    if args.check:
        target = args.out or SEED_PATH
        rel = os.path.relpath(target, REPO) if target.startswith(REPO) else target
        try:
            with open(target, "rb") as fh:
                committed = fh.read()
        except OSError as exc:
            print("gen-seed: %s: cannot read (%s)" % (rel, exc.strerror), file=sys.stderr)
            return 1
        if committed == sql.encode("utf-8"):
            print("%s is up to date" % rel)
            return 0
        print(diff_summary(committed.decode("utf-8", errors="replace"), sql, rel),
              file=sys.stderr)
        return 1

    data = sql.encode("utf-8")
    if args.out:
        tmp = args.out + ".tmp"
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, args.out)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())

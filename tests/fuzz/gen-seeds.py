#!/usr/bin/env python3
"""Writes the seed corpus of tests/fuzz (corpus/team, corpus/query, corpus/token).

The committed seeds came from this script; run it again only to refresh them
(for instance after the data pack changed):
    python3 tests/fuzz/gen-seeds.py [../shared/data/referentieteams.json]
Inputs found by fuzzing (crash reproducers, regressions) are added to the
corpus directories by hand and are not touched here."""
import base64
import hashlib
import hmac
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    HERE, '..', '..', '..', 'shared', 'data', 'referentieteams.json')

# As in fuzz_token.c.
CLIENT = 'gm0855-portaal'
SECRET = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'
NOW = 1800000000


def write(kind, name, data):
    d = os.path.join(HERE, 'corpus', kind)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode('utf-8')
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)


def compact(doc):
    return json.dumps(doc, ensure_ascii=False, separators=(',', ':'))


def team_seeds():
    with open(DATA, encoding='utf-8') as f:
        pack = json.load(f)
    first = pack['profielen'][0]
    # Import shape, as in the data pack: valid as TP_TEAM_IMPORT.
    write('team', 'import-profile-gm0855.json', json.dumps(first, ensure_ascii=False, indent=1))
    # API shape: valid as TP_TEAM_PROFILE.
    profile = {k: first[k] for k in ('gemeente', 'peildatum', 'toelichting', 'leden')}
    write('team', 'profile-gm0855.json', compact(profile))
    small = {'gemeente': first['gemeente'], 'peildatum': first['peildatum'],
             'leden': first['leden'][:3]}
    write('team', 'profile-small.json', compact(small))
    # A what-if analysis: inwoners instead of gemeente.
    write('team', 'analysis-inwoners.json',
          compact({'inwoners': 45000, 'leden': first['leden'][:2]}))
    # A reference file of two slimmed profiles.
    two = []
    for p in pack['profielen'][:2]:
        q = dict(p)
        q['toelichting'] = q['toelichting'][:40]
        q['leden'] = p['leden'][:2]
        two.append(q)
    write('team', 'reference-file.json', compact({'profielen': two}))
    # Small invalid bodies, one rule each.
    lid = {'label': 'Webredacteur', 'fte': 0.8, 'rollen': [{'rol': 'webredacteur', 'aandeel': 0.8}],
           'competenties': [{'code': 'schrijven-voor-het-web', 'niveau': 3}]}
    invalid = {
        'empty-object': {},
        'empty-team': {'gemeente': 'GM0855', 'peildatum': '2026-01-01', 'leden': []},
        'unknown-gemeente': {'gemeente': 'GM9999', 'peildatum': '2026-01-01', 'leden': [lid]},
        'bad-date': {'gemeente': 'GM0855', 'peildatum': '2026-02-30', 'leden': [lid]},
        'shares-mismatch': {'gemeente': 'GM0855', 'peildatum': '2026-01-01', 'leden': [
            dict(lid, fte=1.0)]},
        'duplicate-labels': {'gemeente': 'GM0855', 'peildatum': '2026-01-01', 'leden': [lid, lid]},
        'bad-level': {'gemeente': 'GM0855', 'peildatum': '2026-01-01', 'leden': [
            dict(lid, competenties=[{'code': 'webanalyse', 'niveau': 5}])]},
        'unknown-fields': {'gemeente': 'GM0855', 'peildatum': '2026-01-01', 'extra': 1,
                           'leden': [dict(lid, uren=36, rollen=[{'rol': 'verbinder',
                                                                 'aandeel': 0.8, 'x': None}])]},
        'wrong-types': {'gemeente': 855, 'peildatum': None, 'leden': [1, 'a', [], {'fte': '1'}]},
        'both-gemeente-inwoners': {'gemeente': 'GM0855', 'inwoners': 0, 'leden': []},
        'long-unknown-key': {'gemeente': 'GM0855', 'peildatum': '2026-01-01', 'leden': [],
                             'k' * 63 + '\u00e9': True},
        # An unknown key "" is reported under the name "" (or "leden.0.").
        'empty-key': {'gemeente': 'GM0855', 'peildatum': '2026-01-01', '': 1,
                      'leden': [dict(lid, **{'': 2})]},
        'import-bad-herkomst': {'gemeente': 'GM0363', 'peildatum': '2026-01-01',
                                'herkomst': 'gok', 'bronnen': ['XX', 3], 'leden': []},
    }
    for name, doc in invalid.items():
        write('team', name + '.json', compact(doc))
    write('team', 'too-many-members.json',
          compact({'gemeente': 'GM0855', 'peildatum': '2026-01-01', 'leden': [0] * 501}))
    write('team', 'not-an-object.json', '[1,2,3]')
    write('team', 'duplicate-key.json', '{"gemeente":"GM0855","gemeente":"GM0344","leden":[]}')


def query_seeds():
    seeds = {
        'paging': 'page=2&pageSize=50',
        'gemeenten-filters': 'provincie=Noord-Brabant&referentie=true&grootteklasse=4&zoek=tilburg',
        'zoek-encoded': 'zoek=De+Fryske%20Marren&page=1',
        'zoek-utf8': 'zoek=%C3%A9%C3%A9n%20team',
        'teamprofielen': 'gemeente=GM0855&referentie=false&peildatumVanaf=2019-01-01',
        'bad-values': 'page=0&pageSize=101&grootteklasse=-1&referentie=ja&provincie=Holland',
        'overflow': 'page=99999999999999999999999&pageSize=-',
        'duplicate': 'page=1&page=2',
        'broken-escape': 'zoek=%G1&%=x&a=%C3&b=%00',
        'empty-parts': '&&=&x&y=',
        'path-rol': '/api/v1/rollen/webredacteur',
        'path-encoded': '/api/v1/rollen/web%2Fredacteur',
        'path-audit': '/api/v1/teamprofielen/6f1c2e3a-0d4b-5c6d-8e9f-0a1b2c3d4e5f/audittrail',
        'path-benchmark': '/api/v1/gemeenten/GM0855/benchmark',
        'path-trailing': '/api/v1/',
        'accept-browser': 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
        'accept-svg': 'image/svg+xml;q=1, application/json;q=0.5',
        'accept-csv': 'text/*;q=0.3, text/csv;q=0.9, application/json;q=0',
        'accept-yaml': 'application/yaml; charset=utf-8; q=0.7',
        'content-type': ' application/json; charset=utf-8',
        'if-match': '"0123456789abcdef0123456789abcdef", W/"fedcba9876543210fedcba9876543210"',
        'if-none-match-star': '*',
        'if-match-star-then-tag': '*"stale"',
        'if-match-tag-then-star': ' , "stale",, *junk ',
    }
    seeds['value-too-long'] = 'zoek=' + 'a' * 1025
    seeds['too-many-parameters'] = '&'.join('p%d=%d' % (i, i) for i in range(65))
    for name, text in seeds.items():
        write('query', name + '.txt', text)


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b'=').decode()


def jwt(header, claims, key):
    signing = b64(compact(header).encode()) + '.' + b64(compact(claims).encode())
    alg = header.get('alg')
    if alg == 'none':
        return signing + '.'
    digest = {'HS256': hashlib.sha256, 'HS384': hashlib.sha384, 'HS512': hashlib.sha512}[alg]
    return signing + '.' + b64(hmac.new(key.encode(), signing.encode(), digest).digest())


def token_seeds():
    hs = {'alg': 'HS256', 'typ': 'JWT'}
    ok = {'client_id': CLIENT, 'iat': NOW - 10, 'exp': NOW + 600}
    seeds = {
        'valid': jwt(hs, ok, SECRET),
        'expired': jwt(hs, dict(ok, iat=NOW - 900, exp=NOW - 300), SECRET),
        'too-long-lived': jwt(hs, dict(ok, exp=NOW + 86400), SECRET),
        'iat-in-future': jwt(hs, dict(ok, iat=NOW + 3600, exp=NOW + 3700), SECRET),
        'no-times': jwt(hs, {'client_id': CLIENT}, SECRET),
        'string-times': jwt(hs, dict(ok, iat=str(NOW), exp=str(NOW + 600)), SECRET),
        'no-client': jwt(hs, {'iat': NOW - 10, 'exp': NOW + 600}, SECRET),
        'bad-client-id': jwt(hs, dict(ok, client_id='gm0855 portaal/\u00e9'), SECRET),
        'other-secret': jwt(hs, ok, 'another-secret'),
        'alg-none': jwt({'alg': 'none', 'typ': 'JWT'}, ok, SECRET),
        'alg-hs512': jwt({'alg': 'HS512', 'typ': 'JWT'}, ok, SECRET),
        'not-a-jwt': 'Bearer abc.def',
        'two-parts': b64(b'{"alg":"HS256"}') + '.' + b64(b'{}'),
    }
    for name, text in seeds.items():
        write('token', name + '.jwt', text)
    # CLIENT_ID \n SECRET \n TOKEN: the round-trip form.
    write('token', 'split-valid.txt', CLIENT + '\n' + SECRET + '\n' + seeds['valid'])
    write('token', 'split-other.txt', 'vng.dashboard_1\nkort\n' + seeds['other-secret'])
    write('token', 'split-bad-id.txt', 'gm 0855\nsecret\n')


team_seeds()
query_seeds()
token_seeds()

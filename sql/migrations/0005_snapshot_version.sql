-- The version of everything the service keeps in memory: the catalogue,
-- municipalities, success content, sources and the reference profiles.
-- Any change to them bumps the version and notifies every replica
-- (LISTEN teamplotter_snapshot), which then reloads its snapshot.

CREATE TABLE snapshot (
    id     boolean PRIMARY KEY DEFAULT true CHECK (id),
    versie bigint NOT NULL CHECK (versie > 0)
);
INSERT INTO snapshot (id, versie) VALUES (true, 1);

CREATE FUNCTION snapshot_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE snapshot SET versie = versie + 1;
    PERFORM pg_notify('teamplotter_snapshot', '');
    RETURN NULL;
END
$$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY[
        'catalogus_versies', 'bronnen', 'niveaus', 'rolfamilies', 'competenties', 'rollen',
        'rol_bronnen', 'rol_synoniemen', 'rol_taken', 'rol_competenties', 'gemeenten',
        'gemeente_bronnen', 'succesfactoren', 'succesfactor_bronnen', 'succesfactor_gemeenten',
        'succesverhalen', 'succesverhaal_praktijken', 'succesverhaal_bronnen', 'kengetallen']
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION snapshot_bump()',
                       t || '_snapshot', t);
    END LOOP;
END
$$;

-- Reference profiles change through `teamplotter import referentieteams`,
-- which replaces the profile rows; other profiles do not touch the snapshot.
CREATE TRIGGER teamprofielen_referentie_insert AFTER INSERT ON teamprofielen
    FOR EACH ROW WHEN (NEW.referentie) EXECUTE FUNCTION snapshot_bump();
CREATE TRIGGER teamprofielen_referentie_update AFTER UPDATE ON teamprofielen
    FOR EACH ROW WHEN (OLD.referentie OR NEW.referentie) EXECUTE FUNCTION snapshot_bump();
CREATE TRIGGER teamprofielen_referentie_delete AFTER DELETE ON teamprofielen
    FOR EACH ROW WHEN (OLD.referentie) EXECUTE FUNCTION snapshot_bump();

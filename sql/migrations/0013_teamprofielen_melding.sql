-- A notification on every change of team profiles (the profile rows and
-- their members and shares), whoever makes it (API, import, SQL): each
-- replica's listener hears it and stops serving answers it keeps per
-- municipality's profiles (a development), so that those never outlive
-- a change by more than the notification's way. One per transaction:
-- PostgreSQL folds notifications with the same payload.
CREATE FUNCTION teamprofielen_melden() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('teamplotter_teamprofielen', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER teamprofielen_melden AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON teamprofielen FOR EACH STATEMENT EXECUTE FUNCTION teamprofielen_melden();
CREATE TRIGGER teamleden_melden AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON teamleden FOR EACH STATEMENT EXECUTE FUNCTION teamprofielen_melden();
CREATE TRIGGER teamlid_rollen_melden AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON teamlid_rollen FOR EACH STATEMENT EXECUTE FUNCTION teamprofielen_melden();

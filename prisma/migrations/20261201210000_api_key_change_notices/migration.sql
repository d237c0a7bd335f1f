-- Processes that keep checked API keys in memory (src/accounts/principal-cache.ts) LISTEN on
-- api_key_changes: every change to a key, or to an account, is announced when it commits, with
-- the key's hash as payload (empty: anything may have changed). Triggers rather than the app's
-- own NOTIFY, so that a revocation by hand in SQL is heard too.
-- The body is quoted rather than dollar-quoted: the migration engine splits scripts at
-- semicolons outside quotes, and does not know dollar quotes.
CREATE FUNCTION announce_api_key_change() RETURNS trigger LANGUAGE plpgsql AS '
BEGIN
  IF TG_TABLE_NAME = ''api_keys'' THEN
    PERFORM pg_notify(''api_key_changes'', OLD.key_hash);
  ELSE
    PERFORM pg_notify(''api_key_changes'', '''');
  END IF;
  RETURN NULL;
END
';

CREATE TRIGGER api_keys_announce_change AFTER UPDATE OR DELETE ON "api_keys"
  FOR EACH ROW EXECUTE FUNCTION announce_api_key_change();

CREATE TRIGGER accounts_announce_change AFTER UPDATE OR DELETE ON "accounts"
  FOR EACH ROW EXECUTE FUNCTION announce_api_key_change();

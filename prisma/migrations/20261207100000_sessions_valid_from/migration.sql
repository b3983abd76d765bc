-- A new password ends the account's other sessions (lib/auth/get-session-user.ts). Sessions are
-- signed cookies (JWT), not rows, so they cannot be deleted: a session signed in before this
-- instant is refused instead. Null: every session within its maximum age is good.
ALTER TABLE "app_user" ADD COLUMN "sessions_valid_from" TIMESTAMPTZ(6);

-- Releasing a reservation: the gateway gives a hold back when its AI call did not happen (or
-- failed before costing anything), so the money counts again at once instead of at expires_at.
--
-- Lock order as for every writer of holds: the pool row first, then the hold (a usage debit
-- capturing the same hold takes them in that order; the other order can deadlock with it). The
-- running total billing_account.reserved_amount follows through the statement triggers of
-- *_reserved_running_total, so nothing here touches it.
--
-- Outcomes, one row back each time (idempotent: a retry gets the same row and frees nothing):
--   OPEN, not yet expired -> RELEASED, settled_at = now(); released = true
--   OPEN, past expires_at -> EXPIRED, settled_at = expires_at (what the sweep would have written;
--                            it held nothing since expires_at); released = false
--   RELEASED or EXPIRED   -> unchanged; released = false
--   CAPTURED              -> BL410 (a debit settled it: there is nothing to give back)
--   another mandate's or unknown -> BL404
CREATE FUNCTION billing_reservation_release(p_mandate_id UUID, p_reservation_id UUID)
RETURNS TABLE (
  "id" UUID,
  "mandate_id" UUID,
  "user_id" UUID,
  "amount" DECIMAL(30,6),
  "status" "ReservationStatus",
  "expires_at" TIMESTAMPTZ(6),
  "created_at" TIMESTAMPTZ(6),
  "settled_at" TIMESTAMPTZ(6),
  "released" BOOLEAN
)
LANGUAGE plpgsql AS $$
DECLARE
  v_hold "billing_reservation";
  v_released BOOLEAN := FALSE;
BEGIN
  SELECT * INTO v_hold FROM "billing_reservation" r
   WHERE r.id = p_reservation_id AND r.mandate_id = p_mandate_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'reservation % not found', p_reservation_id USING ERRCODE = 'BL404';
  END IF;

  PERFORM 1 FROM "billing_account" a WHERE a.id = v_hold.account_id FOR UPDATE;
  -- Under the pool lock the status cannot change any more: read it again.
  SELECT * INTO v_hold FROM "billing_reservation" r WHERE r.id = p_reservation_id;

  IF v_hold.status = 'CAPTURED' THEN
    RAISE EXCEPTION 'reservation % was captured by a usage debit', p_reservation_id USING ERRCODE = 'BL410';
  END IF;
  IF v_hold.status = 'OPEN' THEN
    v_released := v_hold.expires_at > now();
    UPDATE "billing_reservation" r
       SET status = CASE WHEN v_released THEN 'RELEASED'::"ReservationStatus" ELSE 'EXPIRED' END,
           settled_at = CASE WHEN v_released THEN now() ELSE r.expires_at END
     WHERE r.id = p_reservation_id
    RETURNING * INTO v_hold;
  END IF;

  RETURN QUERY SELECT v_hold.id, v_hold.mandate_id, v_hold.user_id, v_hold.amount, v_hold.status,
                      v_hold.expires_at, v_hold.created_at, v_hold.settled_at, v_released;
END;
$$;

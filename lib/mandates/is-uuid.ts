const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Mandate and user ids are UUID columns; anything else cannot name a row. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

import { z } from "zod";

/**
 * Text PostgreSQL can store and a person can read: no control characters (PostgreSQL refuses
 * \u0000 in text and jsonb; the others have no business in a label) and no unpaired UTF-16
 * surrogate (not encodable as UTF-8). Every free-text field of a request is a SafeText, so such
 * input is refused at the edge with its field path instead of failing in the database.
 */
// Without the u flag (the OpenAPI document carries the pattern, and JSON Schema has no flags): a
// surrogate is allowed only as the first half of a pair followed by its second half.
const SAFE_TEXT = /^(?:[^\u0000-\u001f\u007f-\u009f\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/;

export const SafeText = z.string().regex(SAFE_TEXT, "must not contain control characters or unpaired surrogates");

/** The same rule for the dashboard's forms, whose schemas give their own message codes. */
export function isSafeText(value: string): boolean {
  return SAFE_TEXT.test(value);
}

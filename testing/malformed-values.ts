import fc from "fast-check";

/**
 * Values that no field of their kind may accept, for the property tests that throw malformed
 * input at the dashboard's routes and forms. Each is wrong whatever trimming a form does (no
 * " 1" for an amount, no "" where a field is optional).
 */

/**
 * Text a form can carry that PostgreSQL refuses or a person cannot read: NUL and other control
 * characters, 100 000 characters. (FormData holds well-formed strings only: an unpaired surrogate
 * arrives as U+FFFD, which is text like any other.)
 */
export const badFormText = fc.oneof(
  fc.string().map((s) => `${s}\u0000${s}`),
  fc.constantFrom("\u0007", "a\u001bb", "\u007f", "x\u0085y", "line\nbreak", "tab\there", "x".repeat(100_000)),
);

/** Also unpaired surrogates, which a query string cannot carry but a server action's bound argument can. */
export const badText = fc.oneof(
  badFormText,
  fc.string().map((s) => `${s}\ud800`),
  fc.string().map((s) => `\udfff${s}`),
);

/** Not a plain non-negative decimal with at most two places (the forms' amounts and percentages). */
export const badDecimal = fc.oneof(
  fc.constantFrom("abc", "1e5", "NaN", "Infinity", "-1", "0x10", "1,5", "１", "٣", "1.1234567", "9".repeat(40), "."),
  fc.string({ minLength: 1 }).filter((s) => /[^\d.\s]/.test(s) && !/^\s*[+-]?\d+(\.\d+)?\s*$/.test(s)),
  badText,
);

/** Not an 8-4-4-4-12 hex UUID. */
export const badId = fc.oneof(
  fc.constantFrom("not-a-uuid", "00000000-0000-0000-0000-00000000000g", "{00000000-0000-0000-0000-000000000000}"),
  fc.uuid().map((id) => ` ${id}`),
  fc.uuid().map((id) => `${id}\u0000`),
  badText,
);

/** Not an e-mail address, and not blank (blank means "none" where an address is optional). */
export const badEmail = fc.oneof(
  fc.constantFrom("no-at-sign", "a@", "@example.ch", "a@@example.ch", "a b@example.ch", `${"a".repeat(250)}@x.ch`),
  fc.emailAddress().map((email) => `${email}\u0000`),
  fc.emailAddress().map((email) => `\ud800${email}`),
  badText,
);

/** A calendar day that cannot be one: wrong shape, impossible month or day, years PostgreSQL or JavaScript cannot hold. */
export const badDay = fc.oneof(
  fc.constantFrom("2026-13-01", "2026-00-10", "2026-11-32", "26-11-01", "2026-1-1", "+275760-09-13"),
  fc.constantFrom("2026-11-01T00:00:00Z", "yesterday", "2026/11/01", "2026-11-01\u0000"),
);

/**
 * Days a YYYY-MM-DD field may let through, at the edges of what a four-digit year or a month can
 * say ("2026-02-30" is read as 2 March by JavaScript): a route must answer them below 500 too.
 * "9999-12-31" exists, but the day after it (a `to` filter's exclusive end) does not.
 */
export const edgeDay = fc.constantFrom(
  "0000-01-01",
  "0001-01-01",
  "0099-12-31",
  "1969-12-31",
  "2026-02-30",
  "2026-11-31",
  "9999-12-31",
);

/** Query-string integers that are not small whole numbers. */
export const badInteger = fc.oneof(
  fc.constantFrom("-1", "1.5", "1e3", "0x10", "NaN", "Infinity", "9".repeat(20), "", " 2", "２"),
  fc.integer({ min: 10_000 }).map(String),
  badText,
);

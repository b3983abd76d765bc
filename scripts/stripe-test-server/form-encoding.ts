import { invalidRequest } from "./errors";

/** A parsed request parameter: stripe-node encodes nested objects and arrays as `a[b][0][c]=x`. */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

// Keys that would reach Object.prototype through a plain object; Stripe has no such parameters.
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Parses `application/x-www-form-urlencoded` as Stripe reads it: `a[b]=1` nests, `a[0]=x` and
 * `a[]=x` make arrays. Objects whose keys are all indexes become arrays in index order.
 */
export function parseStripeForm(text: string): FormObject {
  const root: FormObject = {};
  for (const pair of text.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? "" : pair.slice(eq + 1);
    const key = decodeURIComponent(rawKey.replace(/\+/g, " "));
    const value = decodeURIComponent(rawValue.replace(/\+/g, " "));
    setPath(root, splitKey(key), value);
  }
  return arraysFromIndexes(root) as FormObject;
}

function splitKey(key: string): string[] {
  const open = key.indexOf("[");
  if (open === -1) return [key];
  const segments = [key.slice(0, open)];
  for (const match of key.slice(open).matchAll(/\[([^\]]*)\]/g)) segments.push(match[1] ?? "");
  return segments;
}

function setPath(root: FormObject, segments: string[], value: string): void {
  let node: FormObject = root;
  for (let i = 0; i < segments.length; i++) {
    let segment = segments[i] ?? "";
    if (FORBIDDEN_KEYS.has(segment)) throw invalidRequest(`Invalid parameter name: ${segments.join(".")}`);
    // `a[]=x` appends: give it the next free index.
    if (segment === "" && i > 0) segment = String(Object.keys(node).length);
    if (i === segments.length - 1) {
      node[segment] = value;
      return;
    }
    const next = node[segment];
    if (next === undefined || typeof next === "string" || Array.isArray(next)) {
      const child: FormObject = {};
      node[segment] = child;
      node = child;
    } else {
      node = next;
    }
  }
}

function arraysFromIndexes(value: FormValue): FormValue {
  if (typeof value === "string" || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const converted: FormObject = {};
  for (const key of keys) converted[key] = arraysFromIndexes(value[key] as FormValue);
  if (keys.length > 0 && keys.every((key) => /^\d+$/.test(key))) {
    return keys
      .map(Number)
      .sort((a, b) => a - b)
      .map((index) => converted[String(index)] as FormValue);
  }
  return converted;
}

/**
 * Typed access to parsed parameters. Names in errors follow Stripe's bracket notation
 * (`line_items[0][quantity]`) so a failing call says which field was wrong.
 */
export class Params {
  constructor(
    readonly raw: FormObject,
    private readonly prefix = "",
  ) {}

  private name(key: string): string {
    return this.prefix === "" ? key : `${this.prefix}[${key}]`;
  }

  has(key: string): boolean {
    return this.raw[key] !== undefined;
  }

  string(key: string): string | undefined {
    const value = this.raw[key];
    if (value === undefined) return undefined;
    if (typeof value !== "string") throw invalidRequest(`Invalid string: ${this.name(key)}`, this.name(key));
    return value;
  }

  requiredString(key: string): string {
    const value = this.string(key);
    if (value === undefined || value === "") throw missingParam(this.name(key));
    return value;
  }

  /** A nullable string: Stripe clears a field sent as the empty string. */
  nullableString(key: string): string | null | undefined {
    const value = this.string(key);
    return value === "" ? null : value;
  }

  integer(key: string): number | undefined {
    const value = this.string(key);
    if (value === undefined) return undefined;
    if (!/^-?\d{1,15}$/.test(value)) throw invalidRequest(`Invalid integer: ${value}`, this.name(key));
    return Number(value);
  }

  requiredInteger(key: string): number {
    const value = this.integer(key);
    if (value === undefined) throw missingParam(this.name(key));
    return value;
  }

  boolean(key: string): boolean | undefined {
    const value = this.string(key);
    if (value === undefined) return undefined;
    if (value !== "true" && value !== "false") throw invalidRequest(`Invalid boolean: ${value}`, this.name(key));
    return value === "true";
  }

  object(key: string): Params | undefined {
    const value = this.raw[key];
    if (value === undefined || value === "") return undefined;
    if (typeof value === "string" || Array.isArray(value)) {
      throw invalidRequest(`Invalid object: ${this.name(key)}`, this.name(key));
    }
    return new Params(value, this.name(key));
  }

  objects(key: string): Params[] {
    const value = this.raw[key];
    if (value === undefined || value === "") return [];
    if (!Array.isArray(value)) throw invalidRequest(`Invalid array: ${this.name(key)}`, this.name(key));
    return value.map((item, index) => {
      const name = `${this.name(key)}[${index}]`;
      if (typeof item === "string" || Array.isArray(item)) throw invalidRequest(`Invalid object: ${name}`, name);
      return new Params(item, name);
    });
  }

  strings(key: string): string[] {
    const value = this.raw[key];
    if (value === undefined || value === "") return [];
    if (typeof value === "string") return [value];
    if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
      throw invalidRequest(`Invalid array: ${this.name(key)}`, this.name(key));
    }
    return value as string[];
  }

  /** Metadata is a flat map of strings; "" as a value (or as the whole map) unsets, as at Stripe. */
  metadata(key = "metadata"): Record<string, string> | "" | undefined {
    const value = this.raw[key];
    if (value === undefined || value === "") return value;
    if (typeof value === "string" || Array.isArray(value)) {
      throw invalidRequest(`Invalid object: ${this.name(key)}`, this.name(key));
    }
    const result: Record<string, string> = {};
    for (const [k, v] of Object.entries(value)) {
      if (typeof v !== "string") throw invalidRequest(`Invalid metadata value: ${this.name(key)}[${k}]`);
      result[k] = v;
    }
    return result;
  }
}

function missingParam(name: string) {
  return invalidRequest(`Missing required param: ${name}.`, name, "parameter_missing");
}

/** Applies a metadata update the way Stripe merges it: keys set to "" are removed. */
export function mergeMetadata(
  current: Record<string, string>,
  update: Record<string, string> | "" | undefined,
): Record<string, string> {
  if (update === undefined) return current;
  if (update === "") return {};
  const merged = { ...current };
  for (const [key, value] of Object.entries(update)) {
    if (value === "") delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

/** Same parameters, same key: key order does not matter, as for Stripe's idempotency check. */
export function canonicalJson(value: FormValue): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key] as FormValue)}`).join(",")}}`;
}

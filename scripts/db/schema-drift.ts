import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import pg from "pg";

/**
 * Compares what prisma/schema.prisma declares with what a migrated database holds, so a schema
 * change without its migration (or a migration without its schema change) fails CI.
 *
 * `prisma migrate diff` needs Prisma's schema engine binary, which cannot be downloaded here.
 * The schema's DMMF (db names, native types, defaults, indexes, relations, all validated) comes
 * instead from prisma_schema_build_bg.wasm, the WASM build of Prisma's schema parser that the
 * `prisma` package ships and runs offline. Its JS wrapper is bundled, unexported, into
 * prisma/build/cli.js (importing that starts the CLI), so the few lines of wasm-bindgen glue are
 * rewritten below; import names end in a build hash, hence the match by prefix. The generated
 * client was the fallback, but its runtime data model lacks nullability, native types, defaults
 * and indexes.
 *
 * Hand-written SQL that schema.prisma cannot express is not drift: CHECK constraints, triggers,
 * functions, composite types, and the NULLS NOT DISTINCT unique indexes and partial indexes named
 * by the caller.
 * One file of ~450 lines: the DMMF loader, the two snapshots and their diff serve only the drift
 * test and change together.
 */

type DmmfDefault = string | number | boolean | DmmfDefault[] | { name: string; args: (string | number)[] };

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "object" | "enum" | "unsupported";
  isList: boolean;
  isRequired: boolean;
  type: string;
  nativeType?: [string, string[]] | null;
  default?: DmmfDefault;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
}

export interface Datamodel {
  models: { name: string; dbName: string | null; fields: DmmfField[] }[];
  enums: { name: string; dbName?: string | null; values: { name: string; dbName: string | null }[] }[];
  indexes: {
    model: string;
    type: "id" | "normal" | "unique" | "fulltext";
    algorithm?: string;
    fields: { name: string; sortOrder?: "asc" | "desc" }[];
  }[];
}

interface SchemaWasm {
  memory: WebAssembly.Memory;
  __wbindgen_externrefs: WebAssembly.Table;
  __wbindgen_start: () => void;
  __wbindgen_malloc: (size: number, align: number) => number;
  __wbindgen_free: (ptr: number, size: number, align: number) => void;
  __externref_table_dealloc: (index: number) => void;
  get_dmmf: (ptr: number, len: number) => [number, number, number, number];
}

/** The DMMF data model of a Prisma schema, parsed by Prisma's own (WASM) schema parser. */
export async function loadSchemaDatamodel(schemaPath = "prisma/schema.prisma"): Promise<Datamodel> {
  const prismaDir = path.dirname(createRequire(import.meta.url).resolve("prisma/package.json"));
  const [bytes, schema] = await Promise.all([
    readFile(path.join(prismaDir, "build", "prisma_schema_build_bg.wasm")),
    readFile(schemaPath, "utf8"),
  ]);
  const wasmModule = await WebAssembly.compile(bytes);
  // Filled right after instantiation; the imports below only run once the module is live.
  const live: { wasm?: SchemaWasm } = {};
  let panic = "";
  const text = (ptr: number, len: number) =>
    new TextDecoder().decode(new Uint8Array(live.wasm?.memory.buffer ?? new ArrayBuffer(0), ptr >>> 0, len));
  const glue: Record<string, (ptr: number, len: number) => unknown> = {
    __wbg_Error_: (ptr, len) => new Error(text(ptr, len)),
    __wbg___wbindgen_throw_: (ptr, len) => {
      throw new Error(text(ptr, len));
    },
    __wbg_set_message_: (ptr, len) => (panic = text(ptr, len)),
    __wbindgen_init_externref_table: () => {
      const table = live.wasm?.__wbindgen_externrefs;
      if (!table) throw new Error("prisma_schema_build_bg.wasm started before it was instantiated");
      const base = table.grow(4);
      table.set(0, undefined);
      table.set(base, undefined);
      table.set(base + 1, null);
      table.set(base + 2, true);
      table.set(base + 3, false);
    },
  };
  const imports: Record<string, Record<string, WebAssembly.ImportValue>> = {};
  for (const { module, name } of WebAssembly.Module.imports(wasmModule)) {
    const fn = Object.entries(glue).find(([prefix]) => name.startsWith(prefix))?.[1];
    if (!fn) throw new Error(`prisma_schema_build_bg.wasm imports ${name}; teach scripts/db/schema-drift.ts about it`);
    (imports[module] ??= {})[name] = fn;
  }
  const instance = await WebAssembly.instantiate(wasmModule, imports);
  const wasm = instance.exports as unknown as SchemaWasm;
  live.wasm = wasm;
  wasm.__wbindgen_start();

  const input = new TextEncoder().encode(JSON.stringify({ prismaSchema: schema, noColor: true }));
  const inputPtr = wasm.__wbindgen_malloc(input.length, 1) >>> 0;
  new Uint8Array(wasm.memory.buffer, inputPtr, input.length).set(input);
  let result: [number, number, number, number];
  try {
    result = wasm.get_dmmf(inputPtr, input.length);
  } catch (err) {
    throw new Error(`Prisma's schema parser panicked: ${panic || String(err)}`);
  }
  const [ptr, len, errorRef, failed] = result;
  if (failed) {
    const error: unknown = wasm.__wbindgen_externrefs.get(errorRef);
    wasm.__externref_table_dealloc(errorRef);
    throw error instanceof Error ? error : new Error(String(error));
  }
  const dmmf = JSON.parse(text(ptr, len)) as { datamodel: Datamodel };
  wasm.__wbindgen_free(ptr, len, 1);
  return dmmf.datamodel;
}

interface ColumnShape {
  type: string;
  notNull: boolean;
  default: string | null;
}

interface TableShape {
  columns: Map<string, ColumnShape>;
  primaryKey: string;
  /** Index and foreign key signatures, e.g. `UNIQUE (a, b DESC)`, `(a) -> t(id) ON DELETE Cascade ...`. */
  indexes: Set<string>;
  foreignKeys: Set<string>;
  nullsNotDistinct: Set<string>;
}

export interface DatabaseShape {
  tables: Map<string, TableShape>;
  enums: Map<string, string[]>;
}

export interface DriftOptions {
  /** Unique indexes made NULLS NOT DISTINCT by hand, as `table (col, col)`; they must be, and no others. */
  nullsNotDistinct?: string[];
  /**
   * Partial indexes written by hand, as `table (col, col) WHERE <predicate as PostgreSQL prints it>`;
   * the database must have exactly these, in addition to the schema's indexes.
   */
  partialIndexes?: string[];
  schemaPath?: string;
}

/** One pool account per mandate: its user_id is NULL, so NULLs must collide in the unique index. */
export const HAND_WRITTEN_NULLS_NOT_DISTINCT = ["billing_account (mandate_id, user_id)"];

/** Partial indexes; the migration that adds each says why, next to it. */
export const HAND_WRITTEN_PARTIAL_INDEXES = [
  "billing_reservation (expires_at) WHERE (settled_at IS NULL)",
  `billing_transaction (account_id, booking_sequence DESC) WHERE (reference_type = 'ADMIN'::"ReferenceType")`,
  // 20261207000000_transaction_search_cheaper: the search's model skip and non-usage descriptions.
  `billing_transaction (account_id, aicore_model, booking_sequence DESC) WHERE (aicore_model IS NOT NULL)`,
  `billing_transaction (account_id, description) USING gin WHERE (reference_type IS DISTINCT FROM 'WORKFLOW'::"ReferenceType")`,
  // 20261207300000_dashboard_speed: the transactions page's type filter on credits and adjustments.
  `billing_transaction (account_id, booking_sequence DESC) WHERE (transaction_type <> 'DEBIT'::"TransactionType")`,
  // 20261206000000_auto_recharge: at most one automatic recharge in flight per mandate.
  `payment UNIQUE (mandate_id) WHERE ((kind = 'AUTO_RECHARGE'::"PaymentKind") AND (status = ANY (ARRAY['PENDING'::"PaymentStatus", 'PROCESSING'::"PaymentStatus"])))`,
  // 20261206300000_plans_subscriptions: one operative and one waiting subscription per mandate.
  `subscription UNIQUE (mandate_id) WHERE (status = ANY (ARRAY['TRIALING'::"SubscriptionStatus", 'ACTIVE'::"SubscriptionStatus", 'PAST_DUE'::"SubscriptionStatus"]))`,
  `subscription UNIQUE (mandate_id) WHERE (status = ANY (ARRAY['PENDING'::"SubscriptionStatus", 'SCHEDULED'::"SubscriptionStatus"]))`,
];

const SCALAR_TYPES: Record<string, string> = {
  String: "text",
  Int: "integer",
  BigInt: "bigint",
  Float: "double precision",
  Decimal: "numeric(65,30)",
  Boolean: "boolean",
  DateTime: "timestamp(3) without time zone",
  Json: "jsonb",
  Bytes: "bytea",
};

const NATIVE_TYPES: Record<string, (args: string[]) => string> = {
  Text: () => "text",
  Uuid: () => "uuid",
  Char: ([n = "1"]) => `character(${n})`,
  VarChar: ([n]) => (n ? `character varying(${n})` : "character varying"),
  Decimal: ([p = "65", s = "30"]) => `numeric(${p},${s})`,
  Timestamptz: ([p]) => (p ? `timestamp(${p}) with time zone` : "timestamp with time zone"),
  Timestamp: ([p]) => (p ? `timestamp(${p}) without time zone` : "timestamp without time zone"),
  Date: () => "date",
  SmallInt: () => "smallint",
  Integer: () => "integer",
  BigInt: () => "bigint",
  DoublePrecision: () => "double precision",
  Real: () => "real",
  Boolean: () => "boolean",
  JsonB: () => "jsonb",
  Json: () => "json",
  ByteA: () => "bytea",
};

// pg_constraint.confdeltype / confupdtype → Prisma's referential action names.
const REFERENTIAL_ACTIONS: Record<string, string> = {
  a: "NoAction",
  r: "Restrict",
  c: "Cascade",
  n: "SetNull",
  d: "SetDefault",
};

/** What applying schema.prisma with `prisma migrate` would create. */
export function expectedShape(datamodel: Datamodel): DatabaseShape {
  const enumNames = new Map(datamodel.enums.map((e) => [e.name, e.dbName ?? e.name]));
  const models = new Map(datamodel.models.map((m) => [m.name, m]));
  const tableOf = (model: string) => models.get(model)?.dbName ?? model;
  const columnOf = (model: string, field: string) => {
    const f = models.get(model)?.fields.find((x) => x.name === field);
    return f?.dbName ?? field;
  };
  const tables = new Map<string, TableShape>();
  for (const model of datamodel.models) {
    const table = newTable();
    tables.set(tableOf(model.name), table);
    for (const field of model.fields) {
      if (field.kind === "object") {
        const from = field.relationFromFields ?? [];
        if (from.length === 0) continue; // the other side of the relation holds the key
        const onDelete = field.relationOnDelete ?? (field.isRequired ? "Restrict" : "SetNull");
        const refColumns = (field.relationToFields ?? []).map((f) => columnOf(field.type, f));
        table.foreignKeys.add(
          foreignKeySignature(
            from.map((f) => columnOf(model.name, f)),
            tableOf(field.type),
            refColumns,
            onDelete,
            field.relationOnUpdate ?? "Cascade",
          ),
        );
        continue;
      }
      table.columns.set(field.dbName ?? field.name, {
        type: expectedType(field, enumNames),
        // `prisma migrate` leaves array columns nullable (prisma/orm#4729); ours say NOT NULL, as the schema means.
        notNull: field.isRequired || field.isList,
        default: expectedDefault(field, tableOf(model.name)),
      });
    }
  }
  for (const index of datamodel.indexes) {
    const table = tables.get(tableOf(index.model));
    if (!table) continue;
    const columns = index.fields.map((f) => `${columnOf(index.model, f.name)}${f.sortOrder === "desc" ? " DESC" : ""}`);
    if (index.type === "id") table.primaryKey = `(${columns.join(", ")})`;
    else table.indexes.add(indexSignature(index.type === "unique", columns, index.algorithm?.toLowerCase(), null));
  }
  // Values compare as sets: `ALTER TYPE ... ADD VALUE` appends, whatever the order in the schema.
  const enums = new Map(
    datamodel.enums.map((e) => [e.dbName ?? e.name, e.values.map((v) => v.dbName ?? v.name).sort()]),
  );
  return { tables, enums };
}

function expectedType(field: DmmfField, enumNames: Map<string, string>): string {
  let type: string;
  if (field.kind === "enum") type = enumNames.get(field.type) ?? field.type;
  else if (field.nativeType) {
    const [name, args] = field.nativeType;
    type = NATIVE_TYPES[name]?.(args) ?? `@db.${name} (unknown to scripts/db/schema-drift.ts)`;
  } else type = SCALAR_TYPES[field.type] ?? `${field.type} (unknown to scripts/db/schema-drift.ts)`;
  return field.isList ? `${type}[]` : type;
}

/** A DB-level default in PostgreSQL's rendering (normalised); uuid(), cuid() etc. run in the client. */
function expectedDefault(field: DmmfField, table: string): string | null {
  const value = field.default;
  if (value === undefined) return null;
  const numeric = ["Int", "BigInt", "Float", "Decimal"].includes(field.type);
  const literal = (v: DmmfDefault): string =>
    typeof v === "string" && !numeric ? `'${v.replaceAll("'", "''")}'` : String(v);
  if (Array.isArray(value)) return normalizeDefault(`ARRAY[${value.map(literal).join(", ")}]`);
  if (typeof value !== "object") return normalizeDefault(literal(value));
  if (value.name === "now") return "CURRENT_TIMESTAMP";
  if (value.name === "dbgenerated") return normalizeDefault(String(value.args[0] ?? ""));
  if (value.name === "autoincrement") return `nextval('${table}_${field.dbName ?? field.name}_seq')`;
  return null;
}

const CAST =
  /::(?:"[^"]+"|[a-z_]+(?: varying| precision)?(?:\(\d+(?:,\d+)?\))?(?: with(?:out)? time zone)?)(?:\[\])?/gi;

/** PostgreSQL adds casts and quotes to stored defaults (`'CHF'::bpchar`, `'-1'::integer`); drop them. */
function normalizeDefault(expr: string): string {
  const bare = expr.replace(CAST, "").replace(/\s+/g, " ").trim();
  if (bare === "now()") return "CURRENT_TIMESTAMP";
  const number = /^'?(-?\d+(?:\.\d+)?)'?$/.exec(bare)?.[1];
  return number?.includes(".") ? number.replace(/\.?0+$/, "") : (number ?? bare);
}

function newTable(): TableShape {
  return {
    columns: new Map(),
    primaryKey: "none",
    indexes: new Set(),
    foreignKeys: new Set(),
    nullsNotDistinct: new Set(),
  };
}

function indexSignature(unique: boolean, columns: string[], method = "btree", predicate: string | null): string {
  const using = method === "btree" ? "" : ` USING ${method}`;
  return `${unique ? "UNIQUE " : ""}(${columns.join(", ")})${using}${predicate ? ` WHERE ${predicate}` : ""}`;
}

function foreignKeySignature(cols: string[], ref: string, refCols: string[], onDelete: string, onUpdate: string) {
  return `(${cols.join(", ")}) -> ${ref}(${refCols.join(", ")}) ON DELETE ${onDelete} ON UPDATE ${onUpdate}`;
}

/** The tables, columns, keys, indexes and enums of the database's current schema (`_prisma_migrations` aside). */
export async function introspectDatabase(url: string): Promise<DatabaseShape> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const inSchema = "relnamespace = current_schema()::regnamespace";
    // One connection runs one query at a time, hence in sequence.
    const tables = await client.query<{ table: string }>(
      `SELECT relname AS table FROM pg_class
        WHERE ${inSchema} AND relkind IN ('r', 'p') AND NOT relispartition AND relname <> '_prisma_migrations'`,
    );
    const columns = await client.query<{
      table: string;
      column: string;
      type: string;
      not_null: boolean;
      default: string | null;
    }>(
      `SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
              a.attnotnull AS not_null,
              -- An identity column reads as Prisma's autoincrement(): nextval of its own sequence.
              coalesce(pg_get_expr(d.adbin, d.adrelid),
                       (SELECT format('nextval(%L)', s.relname) FROM pg_depend dep JOIN pg_class s ON s.oid = dep.objid
                         WHERE a.attidentity <> '' AND dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum
                           AND dep.deptype = 'i' AND s.relkind = 'S')) AS default
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE c.${inSchema} AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped`,
    );
    const indexes = await client.query<{
      table: string;
      primary: boolean;
      unique: boolean;
      nulls_not_distinct: boolean;
      method: string;
      predicate: string | null;
      columns: string[];
    }>(
      `SELECT t.relname AS table, i.indisprimary AS primary, i.indisunique AS unique,
              i.indnullsnotdistinct AS nulls_not_distinct, am.amname AS method,
              pg_get_expr(i.indpred, i.indrelid) AS predicate,
              array(SELECT pg_get_indexdef(i.indexrelid, k, true)
                           || CASE WHEN i.indoption[k - 1] & 1 = 1 THEN ' DESC' ELSE '' END
                      FROM generate_series(1, i.indnkeyatts) AS k ORDER BY k) AS columns
         FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
         JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
        WHERE t.${inSchema}`,
    );
    const foreignKeys = await client.query<{
      table: string;
      ref_table: string;
      columns: string[];
      ref_columns: string[];
      on_delete: string;
      on_update: string;
    }>(
      `SELECT t.relname AS table, r.relname AS ref_table, k.confdeltype AS on_delete, k.confupdtype AS on_update,
              array(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY AS u(n, o)
                      JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.o) AS columns,
              array(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY AS u(n, o)
                      JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.o) AS ref_columns
         FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid
        WHERE k.contype = 'f' AND t.${inSchema}`,
    );
    const enums = await client.query<{ name: string; values: string[] }>(
      `SELECT t.typname AS name,
              array(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid) AS values
         FROM pg_type t WHERE t.typtype = 'e' AND t.typnamespace = current_schema()::regnamespace`,
    );
    const shape: DatabaseShape = { tables: new Map(), enums: new Map() };
    for (const { table } of tables.rows) shape.tables.set(table, newTable());
    for (const c of columns.rows) {
      shape.tables.get(c.table)?.columns.set(c.column, {
        type: c.type.replaceAll('"', ""),
        notNull: c.not_null,
        default: c.default === null ? null : normalizeDefault(c.default),
      });
    }
    for (const i of indexes.rows) {
      const table = shape.tables.get(i.table);
      if (!table) continue;
      const cols = i.columns.map((c) => c.replace(/^"(.*)"$/, "$1"));
      if (i.primary) table.primaryKey = `(${cols.join(", ")})`;
      else table.indexes.add(indexSignature(i.unique, cols, i.method, i.predicate));
      if (i.nulls_not_distinct) table.nullsNotDistinct.add(`(${cols.join(", ")})`);
    }
    for (const k of foreignKeys.rows) {
      const action = (code: string) => REFERENTIAL_ACTIONS[code] ?? code;
      shape.tables
        .get(k.table)
        ?.foreignKeys.add(
          foreignKeySignature(k.columns, k.ref_table, k.ref_columns, action(k.on_delete), action(k.on_update)),
        );
    }
    for (const e of enums.rows) shape.enums.set(e.name, [...e.values].sort());
    return shape;
  } finally {
    await client.end();
  }
}

/** Every difference between the two shapes, one readable line each; empty when they agree. */
export function diffShapes(expected: DatabaseShape, actual: DatabaseShape, opts: DriftOptions = {}): string[] {
  const out: string[] = [];
  const fromSchema = "in schema.prisma";
  const sets = (where: string, what: string, want: Iterable<string>, have: Iterable<string>) => {
    const haveSet = new Set(have);
    const wantSet = new Set(want);
    for (const w of wantSet) if (!haveSet.has(w)) out.push(`${where}${what} ${w}: missing in the database`);
    for (const h of haveSet) if (!wantSet.has(h)) out.push(`${where}${what} ${h}: in the database, not ${fromSchema}`);
  };
  sets("", "table", expected.tables.keys(), actual.tables.keys());
  sets("", "enum", expected.enums.keys(), actual.enums.keys());
  for (const [name, values] of expected.enums) {
    const have = actual.enums.get(name);
    if (have) sets(`enum ${name}: `, "value", values, have);
  }
  const nnd = new Set(opts.nullsNotDistinct ?? HAND_WRITTEN_NULLS_NOT_DISTINCT);
  const partial = opts.partialIndexes ?? HAND_WRITTEN_PARTIAL_INDEXES;
  for (const [name, want] of expected.tables) {
    const have = actual.tables.get(name);
    if (!have) continue;
    sets(`${name}: `, "column", want.columns.keys(), have.columns.keys());
    for (const [column, w] of want.columns) {
      const h = have.columns.get(column);
      if (!h) continue;
      const where = `${name}.${column}:`;
      if (h.type !== w.type) out.push(`${where} type is ${h.type} in the database, ${w.type} ${fromSchema}`);
      if (h.notNull !== w.notNull) {
        const label = (notNull: boolean) => (notNull ? "NOT NULL" : "nullable");
        out.push(`${where} ${label(h.notNull)} in the database, ${label(w.notNull)} ${fromSchema}`);
      }
      if (h.default !== w.default) {
        out.push(`${where} default is ${h.default ?? "none"} in the database, ${w.default ?? "none"} ${fromSchema}`);
      }
    }
    if (have.primaryKey !== want.primaryKey) {
      out.push(`${name}: primary key is ${have.primaryKey} in the database, ${want.primaryKey} ${fromSchema}`);
    }
    const wantIndexes = new Set(want.indexes);
    for (const listed of partial) {
      if (listed.startsWith(`${name} (`) || listed.startsWith(`${name} UNIQUE (`)) {
        wantIndexes.add(listed.slice(name.length + 1));
      }
    }
    sets(`${name}: `, "index", wantIndexes, have.indexes);
    sets(`${name}: `, "foreign key", want.foreignKeys, have.foreignKeys);
    for (const columns of have.nullsNotDistinct) {
      if (!nnd.has(`${name} ${columns}`))
        out.push(`${name}: unique index ${columns} is NULLS NOT DISTINCT, not a listed exception`);
    }
    for (const listed of nnd) {
      const columns = listed.slice(name.length + 1);
      if (listed.startsWith(`${name} (`) && !have.nullsNotDistinct.has(columns)) {
        out.push(`${name}: unique index ${columns} must be NULLS NOT DISTINCT but is not`);
      }
    }
  }
  return out.sort();
}

/** Drift between schema.prisma and the database at `url`; empty when the migrations match the schema. */
export async function findSchemaDrift(url: string, opts: DriftOptions = {}): Promise<string[]> {
  const [datamodel, actual] = await Promise.all([loadSchemaDatamodel(opts.schemaPath), introspectDatabase(url)]);
  return diffShapes(expectedShape(datamodel), actual, opts);
}

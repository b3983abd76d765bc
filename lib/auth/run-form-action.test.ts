import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { DomainError } from "@/lib/errors";
import { runFormAction } from "./run-form-action";

const Input = z.object({ email: z.email({ error: "email" }), name: z.string().min(2, { error: "name" }) });
const values = { email: "a@example.ch", name: "Ann" };

describe("runFormAction", () => {
  it("parses, authorizes, then runs the one domain call with what authorize let in", async () => {
    const answer = await runFormAction({
      schema: Input,
      input: values,
      authorize: () => Promise.resolve({ userId: "u1" }),
      run: (data, auth) => Promise.resolve({ greeting: `${data.name} by ${auth.userId}` }),
    });
    expect(answer).toEqual({ ok: true, result: { greeting: "Ann by u1" }, at: expect.any(Number) });
  });

  it("answers a failed parse with field codes and the entries, without authorizing or running", async () => {
    const authorize = vi.fn(() => Promise.resolve(null));
    const run = vi.fn(() => Promise.resolve(null));
    const bad = { email: "nope", name: "A" };
    const answer = await runFormAction({ schema: Input, input: bad, values: bad, authorize, run });
    expect(answer).toEqual({
      ok: false,
      code: "VALIDATION_FAILED",
      fields: { email: { code: "email" }, name: { code: "name" } },
      values: bad,
      at: expect.any(Number),
    });
    expect(authorize).not.toHaveBeenCalled();
    expect(run).not.toHaveBeenCalled();
  });

  it("answers a refused authorization with its code and the entries, without running", async () => {
    const run = vi.fn(() => Promise.resolve(null));
    const answer = await runFormAction({
      schema: Input,
      input: values,
      values,
      authorize: () => Promise.reject(new DomainError("NOT_FOUND", "no such mandate")),
      run,
    });
    expect(answer).toEqual({ ok: false, code: "NOT_FOUND", values, at: expect.any(Number) });
    expect(run).not.toHaveBeenCalled();
  });

  it("puts a domain code about one field on that field", async () => {
    const answer = await runFormAction({
      schema: Input,
      input: values,
      authorize: () => Promise.resolve(null),
      run: () => Promise.reject(new DomainError("NOT_FOUND", "no such user")),
      fieldsByCode: { NOT_FOUND: { email: { code: "ownerNotFound" } } },
    });
    expect(answer).toEqual({
      ok: false,
      code: "VALIDATION_FAILED",
      fields: { email: { code: "ownerNotFound" } },
      at: expect.any(Number),
    });
  });

  it("reveals nothing of an unexpected error", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const answer = await runFormAction({
      schema: Input,
      input: values,
      authorize: () => Promise.resolve(null),
      run: () => Promise.reject(new Error("connection reset")),
    });
    expect(answer).toEqual({ ok: false, code: "INTERNAL_ERROR", at: expect.any(Number) });
    expect(logged).toHaveBeenCalled();
    logged.mockRestore();
  });

  it("answers an unreachable database with SERVICE_UNAVAILABLE (try again), not an internal error", async () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    const answer = await runFormAction({
      schema: Input,
      input: values,
      authorize: () => Promise.resolve(null),
      run: () => Promise.reject(refused),
    });
    expect(answer).toEqual({ ok: false, code: "SERVICE_UNAVAILABLE", at: expect.any(Number) });
  });
});

import { describe, expect, it } from "vitest";
import { CREATE_MANDATE_FORM_FIELDS, CreateMandateInput } from "./create-mandate-schema";
import { fieldErrors } from "@/lib/forms/form-state";
import { readForm } from "@/lib/forms/read-form";

describe("CreateMandateInput", () => {
  it("reads the form: trimmed name, lower-cased owner e-mail, checked providers", () => {
    const form = new FormData();
    form.set("name", "  Acme AG ");
    form.set("ownerEmail", " Owner@Acme.CH ");
    form.append("allowedProviders", "openai");
    form.append("allowedProviders", "mistral");
    const result = CreateMandateInput.safeParse(readForm(form, CREATE_MANDATE_FORM_FIELDS));
    expect(result.success && result.data).toEqual({
      name: "Acme AG",
      ownerEmail: "owner@acme.ch",
      allowedProviders: ["openai", "mistral"],
    });
  });

  it("treats an empty owner e-mail and no providers as 'no owner' and 'every provider'", () => {
    const form = new FormData();
    form.set("name", "Acme AG");
    form.set("ownerEmail", "");
    const result = CreateMandateInput.safeParse(readForm(form, CREATE_MANDATE_FORM_FIELDS));
    expect(result.success && result.data).toEqual({ name: "Acme AG", ownerEmail: null, allowedProviders: [] });
  });

  it.each([
    [{ name: "A" }, "name", "nameLength"],
    [{ name: "   " }, "name", "nameLength"],
    [{ name: "x".repeat(101) }, "name", "nameLength"],
    [{ name: "Acme", ownerEmail: "not-an-email" }, "ownerEmail", "email"],
    [{ name: "Acme", allowedProviders: ["skynet"] }, "allowedProviders", "provider"],
    // PostgreSQL refuses NUL in text; the other control characters have no business in a name.
    [{ name: "Acme\u0000AG" }, "name", "invalid"],
    [{ name: "Acme\nAG" }, "name", "invalid"],
  ])("refuses %j", (input, field, code) => {
    const result = CreateMandateInput.safeParse(input);
    expect(result.success ? {} : fieldErrors(result.error)).toMatchObject({ [field]: { code } });
  });
});

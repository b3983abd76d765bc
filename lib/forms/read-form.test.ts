import { describe, expect, it } from "vitest";
import { readForm } from "./read-form";

describe("readForm", () => {
  const fields = { name: "", notify: false, providers: [] } as const;

  it("reads text, checkboxes by presence and checkbox groups as lists", () => {
    const form = new FormData();
    form.set("name", " Acme ");
    form.set("notify", "on");
    form.append("providers", "openai");
    form.append("providers", "mistral");
    expect(readForm(form, fields)).toEqual({ name: " Acme ", notify: true, providers: ["openai", "mistral"] });
  });

  it("reads an absent field as its absent value and leaves out what it was not asked for", () => {
    const form = new FormData();
    form.set("$ACTION_ID_abc", "");
    form.set("other", "x");
    expect(readForm(form, fields)).toEqual({ name: "", notify: false, providers: [] });
  });

  it("ignores files", () => {
    const form = new FormData();
    form.set("name", new Blob(["x"]), "name.txt");
    form.append("providers", new Blob(["y"]), "p.txt");
    form.append("providers", "openai");
    expect(readForm(form, fields)).toEqual({ name: "", notify: false, providers: ["openai"] });
  });

  it("reads what is no FormData as a form with every field absent: a crafted action request can bind anything", () => {
    const notForms: unknown[] = ["name=x", 42, null, undefined, { name: "x", get: 1 }, new URLSearchParams("name=x")];
    for (const notAForm of notForms) {
      expect(readForm(notAForm as FormData, fields)).toEqual({ name: "", notify: false, providers: [] });
    }
  });
});

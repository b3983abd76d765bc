import { describe, expect, it } from "vitest";
import { GET as openApiDocument } from "@/app/api/v1/openapi.json/route";
import { acceptsJson } from "./accepts-json";

describe("acceptsJson", () => {
  it.each([null, "", "application/json", "*/*", "text/html, */*;q=0.8", "application/*", "APPLICATION/JSON; q=0.5"])(
    "admits JSON: %j",
    (accept) => expect(acceptsJson(accept)).toBe(true),
  );
  it.each(["text/html", "application/xml", "application/json;q=0", "text/*"])("refuses: %j", (accept) =>
    expect(acceptsJson(accept)).toBe(false),
  );

  it("the OpenAPI document answers 406 NOT_ACCEPTABLE to a client that takes no JSON, 200 otherwise", async () => {
    const url = "http://localhost/api/v1/openapi.json";
    const refused = openApiDocument(new Request(url, { headers: { accept: "text/html" } }));
    expect(refused.status).toBe(406);
    expect(await refused.json()).toMatchObject({ error: { code: "NOT_ACCEPTABLE" } });
    expect(openApiDocument(new Request(url, { headers: { accept: "text/html, */*;q=0.8" } })).status).toBe(200);
  });
});

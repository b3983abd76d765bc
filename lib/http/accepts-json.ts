/**
 * Whether a request's Accept header admits a JSON answer: no header, application/json,
 * application/* or *\/* with a quality above zero. For the routes that can only answer JSON.
 */
export function acceptsJson(accept: string | null): boolean {
  if (!accept?.trim()) return true;
  return accept.split(",").some((range) => {
    const [type = "", ...params] = range.split(";").map((part) => part.trim().toLowerCase());
    const q = params.find((param) => param.startsWith("q="));
    const quality = q ? Number(q.slice(2)) : 1;
    return ["application/json", "application/*", "*/*"].includes(type) && quality > 0;
  });
}

import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const tsx = path.resolve("node_modules", ".bin", "tsx");

/** Exit status of a process that loads the embedded server module and then ends on its own. */
function exitStatusAfterImport(body: string): number | null {
  const script = `import(${JSON.stringify(path.resolve("scripts/db/embedded-server.ts"))}).then(() => { ${body} });`;
  return spawnSync(tsx, ["--eval", script], { encoding: "utf8" }).status;
}

describe("a process that loaded the embedded server module", () => {
  it("keeps the exit code it set (a failed test run stays failed)", () => {
    expect(exitStatusAfterImport("process.exitCode = 3;")).toBe(3);
  });

  it("exits 0 when nothing failed, and with the code of an explicit process.exit", () => {
    expect(exitStatusAfterImport("")).toBe(0);
    expect(exitStatusAfterImport("process.exit(2);")).toBe(2);
  });
});

import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { NEXT_SERVER_NODE_FLAGS, nextServerCommand } from "./next-server-command";

describe("nextServerCommand", () => {
  it("runs Next's CLI under Node with the server's V8 flags, which Node accepts", () => {
    const { command, args } = nextServerCommand(["--version"]);
    expect(args.slice(0, NEXT_SERVER_NODE_FLAGS.length)).toEqual([...NEXT_SERVER_NODE_FLAGS]);
    const run = spawnSync(command, args, { encoding: "utf8" });
    expect(run.stderr).not.toMatch(/bad option|not allowed/i);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Next\.js v?\d+\.\d+/);
  });
});

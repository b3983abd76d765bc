import http from "node:http";

/**
 * A signed-in browser, reduced to what the timing needs: one keep-alive connection, the session
 * cookie, and requests one after the other. Server time is taken from the moment the request is
 * written to the socket to the moment the last byte of the response is read (loopback, so the
 * network adds next to nothing); a streamed page counts until its last chunk.
 */
export interface Timed {
  ms: number;
  status: number;
  bytes: number;
}

export class DashboardClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  private readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  /**
   * next-auth's credentials flow as the sign-in form runs it: the CSRF token (double-submit: the
   * cookie and the form field must match), then the form post, which sets the session cookie.
   */
  async signIn(email: string, password: string): Promise<void> {
    const csrf = await this.request("GET", "/api/auth/csrf");
    const { csrfToken } = JSON.parse(csrf.body) as { csrfToken?: string };
    if (!csrfToken) throw new Error(`no CSRF token from /api/auth/csrf (status ${csrf.status})`);
    const form = new URLSearchParams({ csrfToken, email, password, callbackUrl: this.baseUrl, json: "true" });
    const signIn = await this.request("POST", "/api/auth/callback/credentials", form.toString());
    if (![200, 302].includes(signIn.status)) throw new Error(`sign-in answered ${signIn.status}: ${signIn.body}`);
    const session = await this.request("GET", "/api/auth/session");
    const { userId } = JSON.parse(session.body || "{}") as { userId?: string };
    if (!userId) throw new Error(`sign-in did not start a session (${signIn.status}: ${signIn.body.slice(0, 200)})`);
  }

  /** One GET, timed; the body is read and dropped. */
  timedGet(path: string): Promise<Timed> {
    return new Promise((resolve, reject) => {
      let started = 0n;
      const req = http.request(this.url(path), { method: "GET", agent: this.agent, headers: this.headers() });
      req.on("finish", () => {
        started = process.hrtime.bigint();
      });
      req.on("response", (res) => {
        let bytes = 0;
        res.on("data", (chunk: Buffer) => {
          bytes += chunk.length;
        });
        res.on("end", () => {
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          resolve({ ms, status: res.statusCode ?? 0, bytes });
        });
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end();
    });
  }

  /** A long download, its chunks handed to `onChunk` as they arrive (the CSV export). */
  stream(
    path: string,
    onChunk: (chunk: Buffer) => void,
  ): Promise<{ status: number; headers: http.IncomingHttpHeaders; ms: number }> {
    return new Promise((resolve, reject) => {
      let started = 0n;
      const req = http.request(this.url(path), { method: "GET", agent: this.agent, headers: this.headers() });
      req.on("finish", () => {
        started = process.hrtime.bigint();
      });
      req.on("response", (res) => {
        res.on("data", onChunk);
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            ms: Number(process.hrtime.bigint() - started) / 1e6,
          }),
        );
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }

  private url(path: string): URL {
    return new URL(path, this.baseUrl);
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    // What a browser sends that changes the server's work: the language, and no compression
    // (a loopback client gains nothing from it, and the figure is the page's own time).
    return { "accept-language": "de-CH,de;q=0.9", ...(cookie ? { cookie } : {}), ...extra };
  }

  private request(method: string, path: string, body?: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const headers = this.headers(
        body === undefined
          ? {}
          : { "content-type": "application/x-www-form-urlencoded", "content-length": String(Buffer.byteLength(body)) },
      );
      const req = http.request(this.url(path), { method, agent: this.agent, headers }, (res) => {
        for (const line of res.headers["set-cookie"] ?? []) {
          const [pair = ""] = line.split(";");
          const at = pair.indexOf("=");
          if (at > 0) this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
        }
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end(body);
    });
  }
}

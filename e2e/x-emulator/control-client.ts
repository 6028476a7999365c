// A typed client of the emulator's control API, for Keyport's integration tests, Playwright specs
// and scripts. Imports types only, so it never pulls the server into a test process.
import { request as httpRequest } from "node:http";
import type {
  AppCosts,
  AuthorizeDirectInput,
  AuthorizeDirectResult,
  CreateAppInput,
  CostReport,
  CreateUserInput,
  EmulatorApp,
  EmulatorTweet,
  EmulatorUser,
  Fault,
  FaultInput,
  GrantSummary,
  Prices,
  PricesPatch,
  RequestFilter,
  RequestLogEntry,
  Switches,
  UpdateAppInput,
} from "./types";

export class XEmulatorControlError extends Error {
  override name = "XEmulatorControlError";
  constructor(
    readonly status: number,
    readonly body: unknown,
    message: string,
  ) {
    super(message);
  }
}

export class XEmulatorControl {
  private readonly base: string;

  /** `url` is the emulator's origin, e.g. http://127.0.0.1:4010. */
  constructor(url: string) {
    this.base = `${url.replace(/\/+$/, "")}/__emulator`;
  }

  switches(): Promise<Switches> {
    return this.call("GET", "/switches");
  }

  /** Changes only the given switches; returns them all. */
  setSwitches(patch: Partial<Switches>): Promise<Switches> {
    return this.call("PUT", "/switches", patch);
  }

  apps(): Promise<EmulatorApp[]> {
    return this.call("GET", "/apps");
  }

  app(clientId: string): Promise<EmulatorApp> {
    return this.call("GET", `/apps/${encodeURIComponent(clientId)}`);
  }

  /** Returns the app with its generated clientId and (confidential only) clientSecret. */
  createApp(input: CreateAppInput): Promise<EmulatorApp> {
    return this.call("POST", "/apps", input);
  }

  /** Portal edits: name, type, callbackUrls, permission, enrolled, oauth2Enabled, rateLimits. */
  updateApp(clientId: string, patch: UpdateAppInput): Promise<EmulatorApp> {
    return this.call("PATCH", `/apps/${encodeURIComponent(clientId)}`, patch);
  }

  async deleteApp(clientId: string): Promise<void> {
    await this.call("DELETE", `/apps/${encodeURIComponent(clientId)}`);
  }

  /** The old secret fails at once; returns the new one. */
  async regenerateSecret(clientId: string): Promise<string> {
    const { clientSecret } = await this.call<{ clientSecret: string }>("POST", `/apps/${encodeURIComponent(clientId)}/regenerate-secret`);
    return clientSecret;
  }

  users(): Promise<EmulatorUser[]> {
    return this.call("GET", "/users");
  }

  createUser(input: CreateUserInput): Promise<EmulatorUser> {
    return this.call("POST", "/users", input);
  }

  /** Who is preselected on the consent page (id or username); null for the first user. */
  async signInAs(user: string | null): Promise<void> {
    await this.call("PUT", "/signed-in-user", { user });
  }

  grants(filter: { clientId?: string; userId?: string } = {}): Promise<GrantSummary[]> {
    return this.call("GET", `/grants${toQuery(filter)}`);
  }

  /** The X user removes the app under "Connected apps": every grant of that pair ends. */
  async revokeUserGrants(clientId: string, userId: string): Promise<number> {
    const { revoked } = await this.call<{ revoked: number }>("POST", "/grants/revoke", { clientId, userId });
    return revoked;
  }

  clock(): Promise<{ now: string; offsetSeconds: number }> {
    return this.call("GET", "/clock");
  }

  /** Moves the emulator's clock (codes, tokens, rate-limit windows) forward. */
  advanceClock(seconds: number): Promise<{ now: string; offsetSeconds: number }> {
    return this.call("POST", "/clock/advance", { seconds });
  }

  injectFault(fault: FaultInput): Promise<Fault> {
    return this.call("POST", "/faults", fault);
  }

  faults(): Promise<Fault[]> {
    return this.call("GET", "/faults");
  }

  async clearFaults(): Promise<void> {
    await this.call("DELETE", "/faults");
  }

  /** Removes one fault by the id injectFault returned (no error if it is already gone). */
  async removeFault(id: string): Promise<void> {
    await this.call("DELETE", `/faults/${encodeURIComponent(id)}`);
  }

  /** Every non-control request so far, oldest first, secrets redacted. */
  requests(filter: RequestFilter = {}): Promise<RequestLogEntry[]> {
    return this.call("GET", `/requests${toQuery(filter)}`);
  }

  async clearRequests(): Promise<void> {
    await this.call("DELETE", "/requests");
  }

  tweets(filter: { userId?: string } = {}): Promise<EmulatorTweet[]> {
    return this.call("GET", `/tweets${toQuery(filter)}`);
  }

  /** The unit prices in force: each as micro-dollars and USD, with X's label and unit. */
  prices(): Promise<Prices> {
    return this.call("GET", "/prices");
  }

  /**
   * Changes only the given prices (`{ contentCreate: { usd: 0.02 } }` or `{ microUsd: 20000 }`) for
   * calls from now on; returns them all. reset() returns to the start-up prices.
   */
  setPrices(patch: PricesPatch): Promise<Prices> {
    return this.call("PUT", "/prices", patch);
  }

  /** What each app's successful billable calls cost so far (every app, zeros included), and the total. */
  costs(filter: { clientId?: string } = {}): Promise<CostReport> {
    return this.call("GET", `/costs${toQuery(filter)}`);
  }

  /** One app's costs; throws XEmulatorControlError 400 for a client id the emulator never saw. */
  async appCosts(clientId: string): Promise<AppCosts> {
    const { apps } = await this.costs({ clientId });
    return apps[0]!;
  }

  /** Zeroes every counter and forgets the 24-hour de-duplication; prices stay. */
  async resetCosts(): Promise<void> {
    await this.call("DELETE", "/costs");
  }

  /**
   * Consent without a browser: the same checks as the authorize page, then the redirect it would
   * send. Throws XEmulatorControlError (status 400, body.reason) where X would show "Something went wrong".
   */
  authorizeDirect(input: AuthorizeDirectInput): Promise<AuthorizeDirectResult> {
    return this.call("POST", "/authorize-direct", input);
  }

  /** Back to the seed, the start-up switches and prices, and real time; faults, the log and costs are cleared. */
  async reset(): Promise<void> {
    await this.call("POST", "/reset");
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const { status, text } = await send(method, `${this.base}${path}`, body === undefined ? undefined : JSON.stringify(body));
    const parsed: unknown = text ? JSON.parse(text) : null;
    if (status < 200 || status >= 300) {
      const detail = (parsed as { error?: string; reason?: string } | null) ?? {};
      throw new XEmulatorControlError(status, parsed, `X emulator ${method} ${path}: ${status} ${detail.reason ?? detail.error ?? ""}`.trim());
    }
    return parsed as T;
  }
}

/**
 * One request on a connection of its own (no keep-alive). Tests often block their own event loop
 * (a synchronous child process) while the emulator runs in the same process; an idle kept-alive
 * socket the server closed meanwhile would otherwise be reused and the call fail with ECONNRESET.
 */
function send(method: string, url: string, body: string | undefined): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method, agent: false, headers: body === undefined ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(body);
  });
}

function toQuery(params: Record<string, string | undefined>): string {
  const query = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => typeof e[1] === "string"));
  const text = query.toString();
  return text ? `?${text}` : "";
}

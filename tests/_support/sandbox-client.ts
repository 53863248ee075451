/** What the local payment sandbox answered: its status and JSON body. */
export interface SandboxReply {
  status: number;
  json: Record<string, any>;
}

/** Calls one of the sandbox's control or payer routes: a GET without a body, a JSON POST with one. */
export async function callSandbox(baseUrl: string, path: string, body?: unknown): Promise<SandboxReply> {
  const res = await fetch(`${baseUrl}${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

/** Polls until the probe gives a value: notifications and sweeps arrive on their own time. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A small cookie-keeping HTTP client that behaves like a browser tab of the given origin. */
export class HttpSession {
  cookie = '';
  csrf = '';

  constructor(
    readonly baseUrl: string,
    readonly origin: string = baseUrl,
  ) {}

  async send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(this.csrf ? { 'x-csrf-token': this.csrf } : {}),
        origin: this.origin,
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0] ?? '';
    const text = await response.text();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const json = (text ? JSON.parse(text) : {}) as Record<string, any>;
    if (typeof json.csrfToken === 'string') this.csrf = json.csrfToken;
    return { status: response.status, json, setCookie };
  }

  /** Signs in and keeps the session; throws if it fails. */
  async signIn(email: string, password: string): Promise<this> {
    const result = await this.send('POST', '/api/auth/login', { email, password });
    if (result.status !== 200) throw new Error(`sign-in failed: ${result.status}`);
    return this;
  }
}

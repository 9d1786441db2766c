// Requests to the admin API from the page: same origin, JSON, and the operator's token when
// one was given (kept in memory only: never stored, never in the page, gone on reload).
let token: string | null = null;

export function setToken(t: string | null): void {
  token = t?.trim() ? t.trim() : null;
}

export function hasToken(): boolean {
  return token !== null;
}

export function adminHeaders(json = false): Record<string, string> {
  const h: Record<string, string> = {};
  if (json) h['content-type'] = 'application/json';
  if (token) h.authorization = `Bearer ${token}`;
  return h;
}

export async function adminGet(path: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(path, { headers: adminHeaders(), cache: 'no-store' });
  return { status: res.status, body: await res.json().catch(() => null) };
}

export async function adminPost(path: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(path, { method: 'POST', headers: adminHeaders(true), body: JSON.stringify(body) });
  return { status: res.status, body: await res.json().catch(() => null) };
}

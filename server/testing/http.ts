/** Small HTTP helpers for integration tests and benchmarks against a running server. */
export async function postJson(url: string, body: unknown, cookie?: string): Promise<{ status: number; json: any; cookie: string | null }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body)
  });
  const setCookie = res.headers.get('set-cookie');
  return { status: res.status, json: await res.json().catch(() => null), cookie: setCookie ? setCookie.split(';')[0]! : null };
}

export async function getJson(url: string, cookie?: string): Promise<{ status: number; json: any }> {
  const res = await fetch(url, { headers: cookie ? { cookie } : {} });
  return { status: res.status, json: await res.json().catch(() => null) };
}

/** Signs up a buyer (or signs in when the account exists) and returns the session cookie. */
export async function buyerSession(base: string, email: string, displayName = email.split('@')[0]!): Promise<string> {
  const password = 'buyer-password-1';
  const up = await postJson(`${base}/api/auth/signup`, { email, password, displayName });
  if (up.status === 201) return up.cookie!;
  const inn = await postJson(`${base}/api/auth/signin`, { email, password });
  if (inn.status !== 200) throw new Error(`sign-in failed for ${email}: ${inn.status}`);
  return inn.cookie!;
}

/** Signs in as the admin every test configuration seeds (server/testing/test-config.ts) and returns the session cookie. */
export async function adminSession(base: string): Promise<string> {
  const res = await postJson(`${base}/api/auth/signin`, { email: 'admin@hawker.local', password: 'admin-password-for-tests' });
  if (res.status !== 200) throw new Error(`admin sign-in failed: ${res.status}`);
  return res.cookie!;
}

/** A new show of this host, taken live; throws unless both steps succeed. */
export async function liveShow(base: string, host: string, title: string): Promise<{ id: string; title: string; status: string }> {
  const created = await postJson(`${base}/api/shows`, { title, scheduledAt: Date.now() }, host);
  if (created.status !== 201 && created.status !== 200) throw new Error(`show creation failed: ${created.status}`);
  const live = await postJson(`${base}/api/shows/${created.json.show.id}/live`, {}, host);
  if (live.status !== 200) throw new Error(`going live failed: ${live.status}`);
  return live.json.show ?? { ...created.json.show, status: 'live' };
}

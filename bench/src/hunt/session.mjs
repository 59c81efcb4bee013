/**
 * Logs a demo account in on a Huntroom node and answers the headers its API calls need (the session
 * cookie and the CSRF token), for the hunt benches (exports.mjs, timeline.mjs) and
 * test/bench/hunt-snapshot.mjs.
 *
 *   const alice = await session(node.url, 'alice');
 */
export async function session(baseUrl, username) {
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'huntroom-demo' }),
  });
  if (login.status !== 200) throw new Error(`login ${username}: ${login.status} ${await login.text()}`);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .find((c) => c.startsWith('huntroom_session='));
  const { csrfToken } = await login.json();
  return { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken };
}

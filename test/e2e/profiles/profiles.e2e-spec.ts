import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser, type RegisteredUser } from '../../factories/users.js';
import { createTestApp, type TestApp } from '../../setup/test-app.js';

describe('profiles: RealWorld profiles API', () => {
  let t: TestApp;
  let alice: RegisteredUser;
  let bob: RegisteredUser;
  beforeAll(async () => {
    t = await createTestApp();
    alice = await registerUser(t);
    bob = await registerUser(t);
    await t.request({ method: 'PUT', url: '/api/user', token: bob.token, body: { user: { bio: 'bob bio' } } });
  });
  afterAll(async () => {
    await t.close();
  });

  const followRows = async (follower: RegisteredUser, followee: RegisteredUser) => {
    const [{ count }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM follows f
       JOIN users a ON a.id = f.follower_id JOIN users b ON b.id = f.followee_id
       WHERE a.username = $1 AND b.username = $2`,
      [follower.username, followee.username],
    );
    return count as number;
  };

  it('shows a profile to anonymous callers with following=false', async () => {
    const response = await t.request({ method: 'GET', url: `/api/profiles/${bob.username}` });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      profile: { username: bob.username, bio: 'bob bio', image: null, following: false },
    });
  });

  it('answers 404 PROFILE_NOT_FOUND for an unknown username', async () => {
    const response = await t.request({ method: 'GET', url: '/api/profiles/nobody-here' });
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ code: 'PROFILE_NOT_FOUND', errors: { body: ['profile not found'] } });
  });

  it('follows idempotently and reflects it for the follower only', async () => {
    for (let i = 0; i < 2; i += 1) {
      const response = await t.request({
        method: 'POST',
        url: `/api/profiles/${bob.username}/follow`,
        token: alice.token,
      });
      expect(response.status).toBe(200);
      expect(response.body.profile).toEqual({ username: bob.username, bio: 'bob bio', image: null, following: true });
    }
    expect(await followRows(alice, bob)).toBe(1);
    const seen = await t.request({ method: 'GET', url: `/api/profiles/${bob.username}`, token: alice.token });
    expect(seen.body.profile.following).toBe(true);
    const anonymous = await t.request({ method: 'GET', url: `/api/profiles/${bob.username}` });
    expect(anonymous.body.profile.following).toBe(false);
  });

  it('unfollows idempotently', async () => {
    await t.request({ method: 'POST', url: `/api/profiles/${bob.username}/follow`, token: alice.token });
    for (let i = 0; i < 2; i += 1) {
      const response = await t.request({
        method: 'DELETE',
        url: `/api/profiles/${bob.username}/follow`,
        token: alice.token,
      });
      expect(response.status).toBe(200);
      expect(response.body.profile.following).toBe(false);
    }
    expect(await followRows(alice, bob)).toBe(0);
  });

  it('keeps one row when the same follow races itself', async () => {
    const carol = await registerUser(t);
    const responses = await Promise.all(
      Array.from({ length: 5 }, () =>
        t.request({ method: 'POST', url: `/api/profiles/${carol.username}/follow`, token: alice.token }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await followRows(alice, carol)).toBe(1);
  });

  it('refuses to follow yourself with 422 CANNOT_FOLLOW_SELF', async () => {
    const response = await t.request({
      method: 'POST',
      url: `/api/profiles/${alice.username}/follow`,
      token: alice.token,
    });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({
      code: 'CANNOT_FOLLOW_SELF',
      errors: { body: ['you cannot follow yourself'] },
    });
    expect(await followRows(alice, alice)).toBe(0);
  });

  it('requires a token to follow or unfollow, and a real user', async () => {
    expect((await t.request({ method: 'POST', url: `/api/profiles/${bob.username}/follow` })).status).toBe(401);
    expect((await t.request({ method: 'DELETE', url: `/api/profiles/${bob.username}/follow` })).status).toBe(401);
    const unknown = await t.request({ method: 'POST', url: '/api/profiles/nobody-here/follow', token: alice.token });
    expect(unknown.status).toBe(404);
  });

  it('ignores a stale token on the optional-auth profile route', async () => {
    const response = await t.request({ method: 'GET', url: `/api/profiles/${bob.username}`, token: 'not-a-jwt' });
    expect(response.status).toBe(200);
    expect(response.body.profile.following).toBe(false);
  });
});

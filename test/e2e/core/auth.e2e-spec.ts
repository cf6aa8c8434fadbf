import { Controller, Get, Module } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../../../src/app.module.js';
import { AUTH_KEY, Authenticated, PUBLIC_KEY } from '../../../src/core/auth/auth.decorators.js';
import { registerUser } from '../../factories/users.js';
import { createTestApp, type TestApp } from '../../setup/test-app.js';
import { controllerRoutes } from '../../support/routes.js';

@Controller('api/v1/test-admin')
class AdminOnlyController {
  @Get()
  @Authenticated({ role: 'admin' })
  getAdminThing() {
    return { ok: true };
  }
}

@Module({ imports: [AppModule], controllers: [AdminOnlyController] })
class AuthTestModule {}

const secret = () => process.env.JWT_SECRET as string;

describe('auth: global guard and tokens', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp(AuthTestModule);
    token = (await registerUser(t)).token;
  });
  afterAll(async () => {
    await t.close();
  });

  it('accepts "Token <jwt>" (RealWorld) and "Bearer <jwt>"', async () => {
    const viaToken = await t.request({ method: 'GET', url: '/api/user', headers: { authorization: `Token ${token}` } });
    const viaBearer = await t.request({
      method: 'GET',
      url: '/api/user',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(viaToken.status).toBe(200);
    expect(viaBearer.status).toBe(200);
  });

  it('answers 401 AUTH_REQUIRED without a token', async () => {
    const response = await t.request({ method: 'GET', url: '/api/user' });
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('AUTH_REQUIRED');
  });

  it('answers 401 TOKEN_EXPIRED for an expired token', async () => {
    const claims = new JwtService().decode(token) as Record<string, unknown>;
    const expired = new JwtService().sign(
      { sub: claims.sub, username: claims.username, role: claims.role, exp: Math.floor(Date.now() / 1000) - 60 },
      { secret: secret() },
    );
    const response = await t.request({ method: 'GET', url: '/api/user', token: expired });
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('TOKEN_EXPIRED');
  });

  it('answers 401 TOKEN_INVALID for a tampered or foreign-signed token', async () => {
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload as string, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
    const tampered = await t.request({ method: 'GET', url: '/api/user', token: `${header}.${forged}.${signature}` });
    expect(tampered.status).toBe(401);
    expect(tampered.body.code).toBe('TOKEN_INVALID');

    const foreign = new JwtService().sign(claims, { secret: 'some-other-secret-of-enough-length' });
    const other = await t.request({ method: 'GET', url: '/api/user', token: foreign });
    expect(other.status).toBe(401);
    expect(other.body.code).toBe('TOKEN_INVALID');

    const garbage = await t.request({ method: 'GET', url: '/api/user', token: 'not-a-jwt' });
    expect(garbage.status).toBe(401);
  });

  it('answers 403 ROLE_REQUIRED when the role is missing, in problem+json on versioned routes', async () => {
    const response = await t.request({ method: 'GET', url: '/api/v1/test-admin', token });
    expect(response.status).toBe(403);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body).toMatchObject({ status: 403, code: 'ROLE_REQUIRED', title: 'Forbidden' });
  });

  it('lets an admin through a role-guarded route', async () => {
    const user = await registerUser(t);
    await t.dataSource.query("UPDATE users SET role = 'admin' WHERE username = $1", [user.username]);
    const login = await t.request({
      method: 'POST',
      url: '/api/users/login',
      body: { user: { email: user.email, password: user.password } },
    });
    const response = await t.request({ method: 'GET', url: '/api/v1/test-admin', token: login.body.user.token });
    expect(response.status).toBe(200);
  });

  it('has every registered route either @Public() or @Authenticated()', () => {
    const routes = controllerRoutes(t.app);
    const unguarded = routes
      .filter(({ controller, handler }) =>
        [PUBLIC_KEY, AUTH_KEY].every(
          (key) =>
            Reflect.getMetadata(key, handler) === undefined && Reflect.getMetadata(key, controller) === undefined,
        ),
      )
      .map(({ method, controller, name }) => `${method} ${controller.name}.${name}`);
    expect(routes.length).toBeGreaterThanOrEqual(6);
    expect(unguarded).toEqual([]);
  });
});

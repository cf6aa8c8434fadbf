interface SwaggerUiResponse {
  ok: boolean;
  url: string;
  body?: { user?: { token?: unknown } };
}

interface SwaggerUiSystem {
  specSelectors: { specJson(): { getIn(path: string[]): { toJS(): unknown } | undefined } };
  authActions: { authorizeWithPersistOption(auth: Record<string, unknown>): void };
}

/**
 * Runs in the browser, not in Node: Swagger UI's `responseInterceptor`, serialized into its init script
 * (so it may use nothing from this module). After a successful "Try it out" of register or login, it
 * authorizes the page with the returned token, so the next call is authenticated without a copy-paste.
 */
export function authorizeFromAuthResponse(response: SwaggerUiResponse): SwaggerUiResponse {
  try {
    const page = globalThis as unknown as { ui?: SwaggerUiSystem; location: { href: string } };
    const ui = page.ui;
    const path = new URL(response.url, page.location.href).pathname;
    const token = response.body?.user?.token;
    if (ui && response.ok && /^\/api\/users(\/login)?$/.test(path) && typeof token === 'string') {
      const schema = ui.specSelectors.specJson().getIn(['components', 'securitySchemes', 'bearer'])?.toJS();
      ui.authActions.authorizeWithPersistOption({ bearer: { name: 'bearer', schema, value: token } });
    }
  } catch {
    // Convenience only: the response is shown as it came, whatever happens here.
  }
  return response;
}

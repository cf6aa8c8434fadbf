import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';

export interface ControllerRoute {
  /** `GET`, `POST`, … */
  method: string;
  /** The full path as Nest routes it: `/api/articles/:slug`. */
  path: string;
  /** The same path as the OpenAPI document writes it: `/api/articles/{slug}`. */
  documentedPath: string;
  controller: new (...args: never[]) => object;
  handler: (...args: never[]) => unknown;
  name: string;
}

/** Every route of every controller the app registered, from Nest's own metadata. */
export function controllerRoutes(app: INestApplication): ControllerRoute[] {
  const routes: ControllerRoute[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | undefined;
      if (!controller?.prototype) continue;
      const prefix = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = controller.prototype[name as keyof object] as unknown;
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        if (path === undefined) continue;
        const full = `/${[prefix, path]
          .map((part) => part.replace(/^\/+|\/+$/g, ''))
          .filter(Boolean)
          .join('/')}`;
        routes.push({
          method: RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number] as string,
          path: full,
          documentedPath: full.replace(/:(\w+)/g, '{$1}'),
          controller,
          handler: handler as ControllerRoute['handler'],
          name,
        });
      }
    }
  }
  return routes;
}

import type { Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { closeApp, createApp } from '../../src/bootstrap.js';

export interface TestApp {
  app: NestFastifyApplication;
  dataSource: DataSource;
  request: (options: RequestOptions) => Promise<TestResponse>;
  close: () => Promise<void>;
}

export interface RequestOptions {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'OPTIONS';
  url: string;
  token?: string;
  body?: unknown;
  payload?: string;
  headers?: Record<string, string>;
}

export interface TestResponse {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: any;
  text: string;
}

/** The whole application in-process, requests through Fastify's inject (no port). */
export async function createTestApp(rootModule?: Type): Promise<TestApp> {
  const app = await createApp(rootModule);
  const fastify = app.getHttpAdapter().getInstance();
  const request = async (options: RequestOptions): Promise<TestResponse> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Token ${options.token}`;
    const response = await fastify.inject({
      method: options.method,
      url: options.url,
      headers,
      ...(options.payload !== undefined
        ? { payload: options.payload }
        : options.body !== undefined
          ? { payload: options.body as object }
          : {}),
    });
    let body: unknown;
    try {
      body = response.body ? JSON.parse(response.body) : undefined;
    } catch {
      body = undefined;
    }
    return { status: response.statusCode, headers: response.headers, body, text: response.body };
  };
  return { app, dataSource: app.get(DataSource), request, close: () => closeApp(app) };
}

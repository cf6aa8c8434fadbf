import type { Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { closeApp, createApp } from '../../src/bootstrap.js';
import { recordErrorAnswers } from './error-audit.js';

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
  const app = await createApp(rootModule, { configureFastify: recordErrorAnswers });
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

/**
 * The same requests over a real socket: the app listens on a free port of 127.0.0.1 and `fetch` (undici, with
 * keep-alive) sends them with the headers RealWorld clients send (`accept`, and a JSON content type with a body).
 * For tests whose subject is what a client sees on the wire (outages, drains), not only what inject returns.
 */
export async function listenOnSocket(t: TestApp): Promise<(options: RequestOptions) => Promise<TestResponse>> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  return async (options) => {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (options.token) headers.authorization = `Token ${options.token}`;
    const body = options.payload ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`http://127.0.0.1:${port}${options.url}`, { method: options.method, headers, body });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: Object.fromEntries(response.headers), body: parsed, text };
  };
}

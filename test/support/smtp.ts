import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from '../../src/core/net/free-port.js';

export interface TestSmtpServer {
  port: number;
  url: string;
  /** Every message accepted so far, parsed. */
  messages: ParsedMail[];
  /** DATA transfers that began (including held ones). */
  dataStarted: number;
  /** Stops listening (an outage: connections are refused); accepted messages stay. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  /** From now on the next DATA is held: never answered until release() (or the client goes away). */
  holdNextData(): void;
  release(): void;
}

/** A real SMTP server in-process (smtp-server), no auth, no TLS, on a free port of 127.0.0.1; messages parsed by mailparser. */
export async function startSmtpServer(): Promise<TestSmtpServer> {
  const port = await freePort();
  let server: SMTPServer | undefined;
  let holdNext = false;
  const held: Array<() => void> = [];
  const state: TestSmtpServer = {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages: [],
    dataStarted: 0,
    async start() {
      server = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        onData(stream, _session, callback) {
          state.dataStarted += 1;
          // Taken now, not at the end of DATA: a client killed mid-DATA never reaches the end.
          const hold = holdNext;
          holdNext = false;
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            const accept = () =>
              simpleParser(Buffer.concat(chunks)).then(
                (parsed) => {
                  state.messages.push(parsed);
                  callback();
                },
                (error: Error) => callback(error),
              );
            if (hold) {
              held.push(() => callback(new Error('released without accepting')));
              return;
            }
            void accept();
          });
        },
      });
      server.on('error', () => {});
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(port, '127.0.0.1', () => resolve());
      });
    },
    async stop() {
      const closing = server;
      server = undefined;
      if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
    holdNextData() {
      holdNext = true;
    },
    release() {
      for (const answer of held.splice(0)) answer();
    },
  };
  await state.start();
  return state;
}

/** The messages whose Message-ID is `id` (a mail delivered twice shows up twice). */
export function byMessageId(server: TestSmtpServer, id: string): ParsedMail[] {
  return server.messages.filter((message) => message.messageId === id);
}

export function to(message: ParsedMail): string[] {
  const list = Array.isArray(message.to) ? message.to : message.to ? [message.to] : [];
  return list.flatMap((address) => address.value.map((entry) => entry.address ?? ''));
}

/** A header's raw value as sent (unfolded), e.g. `List-Unsubscribe`, which mailparser otherwise restructures. */
export function headerValue(message: ParsedMail, name: string): string | undefined {
  const line = message.headerLines.find((header) => header.key === name.toLowerCase())?.line;
  return line
    ?.slice(line.indexOf(':') + 1)
    .replace(/\r?\n[ \t]+/g, ' ')
    .trim();
}

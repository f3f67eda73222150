import { describe, expect, it } from 'vitest';
import { ResponseFramer } from './response-framer.ts';

const reply = (status: number, body: string) => `HTTP/1.1 ${status} X\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

describe('ResponseFramer', () => {
  it('splits pipelined responses that arrive in one chunk', () => {
    const framer = new ResponseFramer();
    const out = framer.push(Buffer.from(reply(201, '{"order":{}}') + reply(409, '{"error":{}}')));
    expect(out.map((r) => [r.status, r.body.toString()])).toEqual([
      [201, '{"order":{}}'],
      [409, '{"error":{}}']
    ]);
  });

  it('holds a response split across chunks, in the head or in the body, until it is whole', () => {
    const framer = new ResponseFramer();
    const bytes = Buffer.from(reply(400, '{"error":{"code":"bad_request"}}') + reply(201, 'ok'));
    const seen: string[] = [];
    for (let i = 0; i < bytes.length; i += 7) seen.push(...framer.push(bytes.subarray(i, i + 7)).map((r) => `${r.status}:${r.body}`));
    expect(seen).toEqual(['400:{"error":{"code":"bad_request"}}', '201:ok']);
  });

  it('counts body bytes, not characters', () => {
    const framer = new ResponseFramer();
    const out = framer.push(Buffer.from(reply(200, '{"t":"품절"}')));
    expect(out[0]!.body.toString()).toBe('{"t":"품절"}');
  });

  it('reads a response without a body', () => {
    expect(new ResponseFramer().push(Buffer.from('HTTP/1.1 204 No Content\r\n\r\n'))).toEqual([{ status: 204, body: Buffer.alloc(0) }]);
  });

  it('refuses a chunked response instead of misreading it', () => {
    expect(() => new ResponseFramer().push(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n'))).toThrow(/chunked/);
  });
});

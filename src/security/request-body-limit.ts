// The request body size limit, in place of Yoga's built-in one (`maxRequestBodySize`). Yoga's
// passes every body through a web TransformStream, which Node runs on stream.pipeline: an
// AbortController per request that is aborted, with a DOMException and its stack trace, once the
// body is read. That was about 5 % of the API's CPU per order in the benchmark. Here a body with
// a Content-Length costs one header check (Node's HTTP parser never reads past that length), and
// only a chunked body, whose size nobody announced, is counted as it is read.
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const tooLarge = () => new GraphQLError('Request body too large', { extensions: { http: { status: 413 }, code: 'REQUEST_ENTITY_TOO_LARGE' } });

/** One non-negative integer: a list or a sign (request smuggling) is refused, not skipped. */
const CONTENT_LENGTH = /^\d+$/;

export function useRequestBodyLimit(maxBytes: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const announced = request.headers.get('content-length');
      if (announced != null) {
        if (!CONTENT_LENGTH.test(announced)) {
          throw new GraphQLError('Content-Length header is invalid.', { extensions: { http: { status: 400 }, code: 'BAD_REQUEST' } });
        }
        if (Number(announced) > maxBytes) throw tooLarge();
        return;
      }
      if (!requestParser || !request.body) return;
      const parse = requestParser;
      setRequestParser(async (chunked) => {
        const reader = chunked.body!.getReader();
        const chunks: Uint8Array[] = [];
        let bytes = 0;
        for (let read = await reader.read(); !read.done; read = await reader.read()) {
          bytes += read.value.byteLength;
          if (bytes > maxBytes) {
            void reader.cancel().catch(() => undefined);
            throw tooLarge();
          }
          chunks.push(read.value);
        }
        return parse(new fetchAPI.Request(chunked.url, { method: chunked.method, headers: chunked.headers, signal: chunked.signal, body: Buffer.concat(chunks) }));
      });
    },
  };
}

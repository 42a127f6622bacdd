// The content type of each file of the built renderer, one table for main's normscope:// protocol and the browser
// harness (test/harness/server.ts), so both serve the renderer alike. Plain data: no `electron` import.
import path from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = Object.freeze({
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
});

/** The Content-Type header for a file, by its extension (application/octet-stream for any other). */
export function contentType(file: string): string {
  return CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
}

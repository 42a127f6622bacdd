// The server-side DOM the shared renderers draw on: one jsdom window, made on first use.
// (electron/core touches a DOM only here: the figures are the one place that needs one.)
import { JSDOM } from 'jsdom';

let dom: JSDOM | undefined;

export function serverDocument(): { document: Document; serializer: XMLSerializer } {
  dom ??= new JSDOM('<!DOCTYPE html><html><body></body></html>', { contentType: 'text/html' });
  return { document: dom.window.document, serializer: new dom.window.XMLSerializer() };
}

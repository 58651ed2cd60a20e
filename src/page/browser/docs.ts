// The API reference (GET /docs, HTML in ../html.ts): Scalar's standalone bundle (@scalar/api-reference, copied to
// /assets/scalar/ by ../build.ts and loaded before this script) rendering /openapi.json, with navigation, search, code
// snippets and a client that sends requests to this Worker. Nothing is fetched from another origin: no web fonts, no
// telemetry, no proxy; the Content-Security-Policy (../headers.ts) would refuse it anyway.

interface ScalarGlobal {
  createApiReference(selector: string, configuration: Record<string, unknown>): unknown;
}

const { Scalar } = window as unknown as { Scalar?: ScalarGlobal };
if (!Scalar) throw new Error('the API reference bundle (/assets/scalar/standalone.js) did not load');

Scalar.createApiReference('#reference', {
  url: '/openapi.json',
  servers: [{ url: window.location.origin, description: 'This Worker' }], // try-it-out goes here, same origin
  withDefaultFonts: false, // its fonts come from a CDN: system fonts instead
  telemetry: false,
  mcp: { disabled: true },
  agent: { disabled: true }, // its AI chat is a hosted service
  showDeveloperTools: 'never',
  hideClientButton: true, // the "open API client" app is hosted elsewhere; each operation's own "Test Request" stays
  documentDownloadType: 'json',
  defaultHttpClient: { targetKey: 'shell', clientKey: 'curl' },
  orderRequiredPropertiesFirst: true,
});

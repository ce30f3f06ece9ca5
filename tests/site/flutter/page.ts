/**
 * What this deploy's index.html tells the page: which build it belongs to
 * and the digests of the files it must get. `deployed` lists main.dart.js's
 * digest for every build deployed so far, so the page can load a stale build
 * (Subresource Integrity accepts any listed digest), see from its trailer
 * which build ran, and tell "ran build N-1" from "corrupt bytes".
 */
export interface FlutterManifest {
  readonly version: number;
  readonly main: { readonly url: string; readonly sha256: string };
  /** Build number → hex SHA-256 of that build's main.dart.js. */
  readonly deployed: Readonly<Record<string, string>>;
  /** File name under the CanvasKit base URL → hex SHA-256. */
  readonly canvaskit: { readonly 'canvaskit.js': string; readonly 'canvaskit.wasm': string };
}

/**
 * index.html as `flutter build web` writes it (a `<base href="/">` and one
 * async `flutter_bootstrap.js`), plus the manifest and the 64x64 canvas
 * CanvasKit draws on.
 */
export function renderFlutterPage(manifest: FlutterManifest): string {
  // `<` is escaped so no value can close the inline script early.
  const config = JSON.stringify(manifest).replace(/</g, '\\u003c');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <base href="/">
  <meta charset="UTF-8">
  <meta name="description" content="A Flutter web build, as flutter build web lays it out.">
  <title>loading</title>
  <link rel="icon" href="data:,">
  <script>window.__siteBuild = ${config};</script>
</head>
<body>
  <canvas id="c" width="64" height="64"></canvas>
  <script src="flutter_bootstrap.js" async></script>
</body>
</html>
`;
}

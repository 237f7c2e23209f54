// One config array, one entry per zone: the extension host and the CLI (both Node), the web extension
// (webworker, for vscode.dev), the playground / profile webview (browser) and the notebook renderer (ES module).
// Type-checking is separate (`npm run typecheck`, tsc -b); ts-loader only transpiles here.
'use strict';
const path = require('path');
const webpack = require('webpack');

const tsRule = {
  test: /\.ts$/,
  exclude: /node_modules/,
  use: [
    {
      loader: 'ts-loader',
      options: {
        transpileOnly: true,
        configFile: path.resolve(__dirname, 'tsconfig.base.json'),
        compilerOptions: { composite: false, module: 'es2022', moduleResolution: 'bundler', sourceMap: true },
      },
    },
  ],
};
const common = (mode) => ({
  mode: mode || 'production',
  devtool: 'source-map',
  resolve: { extensions: ['.ts', '.js', '.mjs'] },
  module: { rules: [tsRule] },
  performance: { hints: false },
  stats: 'errors-warnings',
});

module.exports = (_env, argv) => {
  const mode = argv && argv.mode;
  const out = path.resolve(__dirname, 'dist');
  const extension = {
    ...common(mode),
    name: 'extension',
    target: 'node',
    // The analysis worker (worker_threads) runs the core off the extension-host thread; see analysisRunner.ts.
    entry: { extension: './extension/main.ts', analysisWorker: './extension/worker/analysisWorker.ts' },
    // The engine the host only needs when no worker can start (inlineRunner.ts) is a chunk of its own
    // (dist/engine.js), loaded on first use: activation does not load it.
    output: { path: out, filename: '[name].js', chunkFilename: '[name].js', libraryTarget: 'commonjs2' },
    optimization: { splitChunks: false },
    externals: { vscode: 'commonjs vscode' },
  };
  // The web extension (package.json `browser`): the same features in the web worker extension host. Node's
  // built-ins are not polyfilled, so a Node-only import reachable from mainWeb.ts fails the build.
  const web = {
    ...common(mode),
    name: 'web',
    target: 'webworker',
    entry: { extension: './extension/mainWeb.ts' },
    output: { path: path.resolve(out, 'web'), filename: '[name].js', libraryTarget: 'commonjs2' },
    resolve: { ...common(mode).resolve, mainFields: ['browser', 'module', 'main'], fallback: {} },
    externals: { vscode: 'commonjs vscode' },
  };
  const cli = {
    ...common(mode),
    name: 'cli',
    target: 'node',
    // dist/cli.js is the package's `convlens` bin: a launcher (with a shebang) that runs the CLI bundle,
    // dist/cliMain.js, through V8's code cache (launcher.ts). `__dirname` is the real one (dist/).
    entry: { cli: './extension/cli/launcher.ts', cliMain: './extension/cli/index.ts' },
    output: { path: out, filename: '[name].js', libraryTarget: 'commonjs2' },
    node: { __dirname: false, __filename: false },
    // Commander requires node:child_process at load, only to run executable subcommands (convlens has none), and
    // loading it cost a profile run more than all of commander's argument parsing: it gets the module on first use.
    externals: [
      ({ request, contextInfo }, callback) =>
        /^(node:)?child_process$/.test(request) && /[\\/]commander[\\/]/.test(contextInfo.issuer)
          ? callback(null, "var new Proxy({}, { get: (_target, key) => require('child_process')[key] })")
          : callback(),
    ],
    // launcher.ts calls Node's createRequire itself (webpack would otherwise compile it away).
    module: { ...common(mode).module, parser: { javascript: { createRequire: false } } },
    plugins: [new webpack.BannerPlugin({ banner: '#!/usr/bin/env node', raw: true, entryOnly: true, include: /^cli\.js$/ })],
  };
  // The playground webview (browser). ORT's `new URL('….wasm', import.meta.url)` makes webpack emit
  // the .wasm files next to the bundle; `publicPath: 'auto'` resolves them from the script's own URL
  // (the asWebviewUri of dist/webview), so nothing comes from a CDN.
  const webview = {
    ...common(mode),
    name: 'webview',
    target: 'web',
    entry: { playground: './webview/playgroundPanel/main.ts', profile: './webview/profile/main.ts' },
    output: {
      path: path.resolve(out, 'webview'),
      filename: '[name].js',
      chunkFilename: '[name].chunk.js',
      publicPath: 'auto',
      assetModuleFilename: '[name].[contenthash:8][ext]',
    },
    // ORT's .wasm files (14 and 28 MB) are the same for the playground and the renderer: the playground loads
    // the renderer's copies (dist/renderer, which it may read) instead of shipping its own. The renderer cannot
    // do the reverse: a notebook renderer may only load from its own folder.
    module: {
      rules: [tsRule, { test: /\.wasm$/, type: 'asset/resource', generator: { filename: '../renderer/[name].[contenthash:8][ext]' } }],
    },
  };
  // The notebook renderer: an ES module VS Code imports into the notebook's webview. Chunks (ORT) and
  // assets (.wasm, .css) are emitted next to it and resolved from its own URL (publicPath 'auto' →
  // import.meta.url); nothing comes from a CDN.
  const renderer = {
    ...common(mode),
    name: 'renderer',
    target: 'web',
    entry: { index: './webview/renderer/index.ts' },
    experiments: { outputModule: true },
    output: {
      path: path.resolve(out, 'renderer'),
      filename: '[name].js',
      chunkFilename: '[name].chunk.js',
      publicPath: 'auto',
      assetModuleFilename: '[name].[contenthash:8][ext]',
      library: { type: 'module' },
      module: true,
      chunkFormat: 'module',
      chunkLoading: 'import',
    },
  };
  // The renderer's profile reader (webview/renderer/profileWorker.ts): one classic script with no chunks, which the
  // renderer fetches from its folder and starts from a blob: URL (a Worker must be same-origin with the page).
  const rendererWorker = {
    ...common(mode),
    name: 'rendererWorker',
    target: 'webworker',
    entry: { profileWorker: './webview/renderer/profileWorker.ts' },
    output: { path: path.resolve(out, 'renderer'), filename: '[name].js' },
    optimization: { splitChunks: false },
  };
  return [extension, web, cli, webview, renderer, rendererWorker];
};

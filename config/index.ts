import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';
import devConfig from './dev';
import prodConfig from './prod';

const root = path.resolve(__dirname, '..');
const platform = process.env.TARO_ENV ?? 'weapp';

/** Values compiled into the client; `process.env` at build time, with local defaults. */
const clientEnv = {
  // Empty means same-origin: the H5 build calls relative `/api/...`. Mini-program builds need an absolute URL.
  TARO_APP_API_BASE: process.env.TARO_APP_API_BASE ?? '',
  TARO_APP_DEFAULT_STORE: process.env.TARO_APP_DEFAULT_STORE ?? 'DEMO01',
  TARO_APP_SANDBOX: platform === 'h5' ? (process.env.TARO_APP_SANDBOX ?? '/sandbox') : '',
  TARO_APP_BILL_UPLOAD_BYTES_MAX: process.env.TARO_APP_BILL_UPLOAD_BYTES_MAX ?? '',
};

/**
 * Server code imports with `.js` specifiers, which is what Node's loader (and
 * so the Vercel function) resolves; the files on disk are `.ts`. `shared/` is
 * compiled into the mini-program too, so webpack maps those specifiers back.
 */
function resolveJsToTs(chain: { resolve: { set(key: string, value: unknown): unknown } }): void {
  chain.resolve.set('extensionAlias', { '.js': ['.ts', '.tsx', '.js'] });
}

/**
 * With `GUITAI_BUNDLE_STATS=1`, a build also writes webpack's stats (chunks and
 * the modules in each, with sizes and reasons) to `dist/stats-<platform>.json`,
 * beside the platform's output rather than in it, so the package sizes stay
 * what the platform uploads. It is how one finds what makes a package heavy.
 */
function writeBundleStats(chain: { plugin(name: string): { use(plugin: unknown, args?: unknown[]): unknown } }): void {
  if (!process.env.GUITAI_BUNDLE_STATS) return;
  class BundleStatsPlugin {
    apply(compiler: { hooks: { done: { tap(name: string, fn: (stats: { toJson(options: object): unknown }) => void): void } } }) {
      compiler.hooks.done.tap('BundleStatsPlugin', (stats) => {
        const file = path.join(root, 'dist', `stats-${platform}.json`);
        mkdirSync(path.dirname(file), { recursive: true });
        const json = stats.toJson({ all: false, assets: true, chunks: true, chunkModules: true, chunkRelations: true, modules: true, nestedModules: true, reasons: true, ids: true });
        writeFileSync(file, JSON.stringify(json));
      });
    }
  }
  chain.plugin('guitai-bundle-stats').use(BundleStatsPlugin);
}

/** The fonts NutUI's theme stylesheet embeds (as base64) for a few of its components. */
const nutuiThemeFontFamilies = ['JDZH-Regular', 'JDZH-Bold'];

/**
 * The theme's font families that no NutUI component the app imports draws
 * with: their `@font-face` rules are dropped from the build (see
 * config/postcss-drop-font-faces.cjs). The components are read from `src/`'s
 * imports of NutUI and followed through the stylesheets each one imports, the
 * way babel-plugin-import brings them in, so a page that starts using Price
 * or Badge gets the fonts back without anyone having to remember.
 */
function unusedNutuiFontFamilies(): string[] {
  const packages = path.join(root, 'node_modules/@nutui/nutui-react-taro/dist/es/packages');
  const sources = (function filesUnder(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : /\.tsx?$/.test(entry.name) ? [path.join(dir, entry.name)] : [],
    );
  })(path.join(root, 'src'));
  const pending = sources.flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/import\s*\{([^}]*)\}\s*from\s*'@nutui\/nutui-react-taro'/g)].flatMap((m) =>
      (m[1] ?? '').split(',').map((name) => name.trim().split(/\s+/)[0]?.toLowerCase() ?? '').filter(Boolean),
    ),
  );
  const seen = new Set<string>();
  let css = '';
  while (pending.length > 0) {
    const name = pending.pop() ?? '';
    if (seen.has(name)) continue;
    seen.add(name);
    const style = path.join(packages, name, 'style');
    if (!existsSync(path.join(style, 'css.js'))) continue;
    const imports = readFileSync(path.join(style, 'css.js'), 'utf8');
    pending.push(...[...imports.matchAll(/'\.\.\/\.\.\/([\w-]+)\/style\/css'/g)].map((m) => m[1] ?? ''));
    if (existsSync(path.join(style, 'style.css'))) css += readFileSync(path.join(style, 'style.css'), 'utf8');
  }
  return nutuiThemeFontFamilies.filter((family) => !css.includes(family));
}

const dropFontFaces = { './config/postcss-drop-font-faces.cjs': { enable: true, config: { families: unusedNutuiFontFamilies() } } };

/**
 * In the mini-program builds, zod's classic interface (`import … from 'zod'`,
 * used by the API's schemas in shared/api, which only the counter and boss
 * sub-packages load) and the zod modules it imports are built in a webpack layer
 * of their own. The main package parses with zod/mini, which imports the same
 * core modules; without the layer those would be one instance, placed in the
 * main package because both sides use it, and kept whole there (about 40 KB)
 * because the classic interface uses all of it. With the layer, the main
 * package's copy of the core is tree-shaken to what zod/mini uses, and the
 * sub-packages carry the classic one. Schemas of the two never meet: zod
 * recognises its schemas by their traits, not by class identity, either way.
 */
function classicZodInItsOwnLayer(chain: { plugin(name: string): { use(plugin: unknown, args?: unknown[]): unknown } }): void {
  class ClassicZodLayerPlugin {
    apply(compiler: { options: { experiments: Record<string, unknown>; module: { rules: unknown[] } } }) {
      compiler.options.experiments.layers = true;
      compiler.options.module.rules.push(
        { test: /[\\/]node_modules[\\/]zod[\\/](index\.js|v4[\\/]classic[\\/].*)$/, layer: 'zod-classic' },
        // A module takes the layer of what imports it, so zod's own modules
        // follow the classic interface into it. What they import from
        // elsewhere (Babel's helpers, and @tarojs/runtime, which Taro provides
        // for globals such as URL) goes back to the default layer: a second
        // instance of Taro's runtime would be both wrong and heavy.
        { issuerLayer: 'zod-classic', exclude: /[\\/]node_modules[\\/]zod[\\/]/, layer: null },
      );
    }
  }
  chain.plugin('guitai-classic-zod-layer').use(ClassicZodLayerPlugin);
}

const h5Port = Number(process.env.H5_PORT ?? 10086);
const apiPort = Number(process.env.API_PORT ?? 8787);
const sandboxPort = Number(process.env.SANDBOX_PORT ?? 8788);

/** Template levels for WeChat's base.wxml; see the mini block below. */
const template_depth: { baseLevel: number } = { baseLevel: 11 };

export default defineConfig<'webpack5'>(async (merge) => {
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'guitai',
    date: '2026-11-23',
    // NutUI is drawn for a 375-wide design; our own styles for 750.
    designWidth(input) {
      const file = typeof input === 'object' && input !== null ? (input as { file?: string }).file : undefined;
      return file?.replace(/\\+/g, '/').includes('@nutui') ? 375 : 750;
    },
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: `dist/${platform}`,
    plugins: [],
    env: Object.fromEntries(Object.entries(clientEnv).map(([k, v]) => [k, JSON.stringify(v)])),
    alias: {
      '@': path.join(root, 'src'),
      '@shared': path.join(root, 'shared'),
    },
    copy: { patterns: [], options: {} },
    framework: 'react',
    // Dependency prebundling crashes the H5 dev server with this enhanced-resolve
    // (`options.roots.map is not a function`); a plain webpack build is fine.
    compiler: { type: 'webpack5', prebundle: { enable: false } },
    cache: { enable: true },
    mini: {
      // WeChat cannot recurse templates, so Taro writes every component's template
      // once per nesting level into the main package's base.wxml (16 levels unless
      // told), about 4 KB a level. At 11 levels a deeper node still renders,
      // through Taro's `comp` custom component (comp.wxml), and the main package
      // keeps room under its 400 KB limit (tools/package-sizes.mjs): at 12 it
      // measured 400.5 KB once #17's shop stored value and #15's category tree
      // were in. The runner reads
      // `baseLevel` from this block (@tarojs/webpack5-runner MiniPlugin) though
      // Taro 4's config type does not list it, hence the spread.
      ...template_depth,
      // `shared/` lies outside `src/`; Taro compiles only `src/` unless told.
      compile: { include: [path.join(root, 'shared')] },
      webpackChain(chain) {
        resolveJsToTs(chain);
        classicZodInItsOwnLayer(chain);
        writeBundleStats(chain);
      },
      postcss: {
        pxtransform: { enable: true, config: {} },
        ...dropFontFaces,
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      compile: { include: [path.join(root, 'shared')] },
      webpackChain: resolveJsToTs,
      output: { filename: 'js/[name].[hash:8].js', chunkFilename: 'js/[name].[chunkhash:8].js' },
      miniCssExtractPluginOption: { ignoreOrder: true, filename: 'css/[name].[hash].css', chunkFilename: 'css/[name].[chunkhash].css' },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        ...dropFontFaces,
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
      devServer: {
        host: '127.0.0.1',
        port: h5Port,
        proxy: [
          { context: ['/api'], target: `http://127.0.0.1:${apiPort}`, changeOrigin: true },
          { context: ['/sandbox'], target: `http://127.0.0.1:${sandboxPort}`, changeOrigin: true },
        ],
      },
    },
  };
  if (process.env.NODE_ENV === 'development') return merge({}, baseConfig, devConfig);
  return merge({}, baseConfig, prodConfig);
});

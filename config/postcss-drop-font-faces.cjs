// A PostCSS plugin, loaded by Taro from `mini.postcss` and `h5.postcss` in
// config/index.ts: it removes the `@font-face` rules of the font families
// it is given. NutUI's theme stylesheet embeds two fonts as base64 (about
// 17 KB of the main package's app.wxss) that only some NutUI components draw
// with; config/index.ts gives the families only while no stylesheet the app
// imports names them.
module.exports = (options = {}) => {
  const families = new Set(options.families ?? []);
  return {
    postcssPlugin: 'guitai-drop-font-faces',
    AtRule: {
      'font-face': (rule) => {
        let family = '';
        rule.walkDecls('font-family', (decl) => {
          family = decl.value.replace(/^['"]|['"]$/g, '');
        });
        if (families.has(family)) rule.remove();
      },
    },
  };
};
module.exports.postcss = true;

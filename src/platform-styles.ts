// The mini-programs draw their own buttons and navigation bar, so they take no
// extra styles; H5 builds resolve `./platform-styles` to platform-styles.h5.ts.
export {};

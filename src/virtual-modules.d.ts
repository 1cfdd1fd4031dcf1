declare module 'virtual:runnable-steps/manifest' {
  const manifest: import('../contract/manifest.ts').Manifest;
  export default manifest;
}

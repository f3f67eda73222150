// Camera, worker and wasm exist only in the browser.
export const ssr = false;

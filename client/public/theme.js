// Before the styles and the app's script: the theme remembered by client/src/stores/theme.ts (the
// same key) goes on <html>, so a dark wall never flashes light. It is also the page's first read
// of localStorage, which can hold the main thread some 40 ms while the browser loads the storage:
// here it overlaps the download of the app's script instead of delaying its start. A file, not an
// inline script: the Content-Security-Policy allows scripts from the app only (script-src 'self').
try {
  if (localStorage.getItem('o3-sentinel.theme') === 'dark') document.documentElement.classList.add('dark');
} catch {
  // Storage blocked (private mode, policy): the app starts light, as it would anyway.
}

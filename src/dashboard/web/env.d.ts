// Module declarations the page's bundler resolves (vite: CSS imports; JSON via resolveJsonModule).
declare module '*.css';

import type { Plugin } from 'vite';
/** Vite settings for an app that imports Pulse from the package (see vite.js). */
export function pulseVite(): Plugin;

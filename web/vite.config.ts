import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

/** sha256 of the inline style SvelteKit 3.2 puts on `#svelte-announcer`. */
const ROUTE_ANNOUNCER_STYLE_HASH = 'S8qMpvofolR8Mpjy4kQvEm7m1q8clzU4dfDH0AmvZjo=';

// SvelteKit 3 takes its configuration here (svelte.config.js is no longer read).
export default defineConfig({
  plugins: [
    sveltekit({
      adapter: adapter(),
      csp: {
        // Nonces for server-rendered pages, hashes for prerendered ones.
        mode: 'auto',
        directives: {
          'default-src': ['self'],
          'script-src': ['self'],
          // Only our own stylesheets, plus the one style attribute SvelteKit writes itself (its
          // visually hidden route announcer), allowed by its hash rather than 'unsafe-inline'.
          // app.css hides the announcer too, so a changed hash costs a console error, not layout.
          'style-src': ['self', 'unsafe-hashes', `sha256-${ROUTE_ANNOUNCER_STYLE_HASH}`],
          // 'self' covers ws:/wss: on the same host for the Socket.IO connection.
          'connect-src': ['self'],
          'img-src': ['self', 'data:', 'blob:'],
          'media-src': ['self', 'blob:', 'mediastream:'],
          'font-src': ['self'],
          'object-src': ['none'],
          'base-uri': ['none'],
          'form-action': ['self'],
          'frame-ancestors': ['none'],
        },
      },
    }),
  ],
  ssr: {
    // The protocol package ships TypeScript sources; bundle it rather than import it at run time.
    noExternal: ['@tupa/signaling'],
  },
});

import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from 'pino';

export type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: () => void) => void;

/**
 * Loads the SvelteKit app built by adapter-node. Without a build the API still works and pages
 * answer 503 with a hint, which keeps API tests independent of the web build.
 */
export async function loadWebHandler(buildDir: string, logger: Logger): Promise<NodeHandler> {
  const file = join(buildDir, 'handler.js');
  if (!existsSync(file)) {
    logger.warn({ buildDir }, 'web app is not built; pages are unavailable');
    return (_req, res) => {
      res.statusCode = 503;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end('The web app is not built. Start Tupa with `npm start`, which builds it.\n');
    };
  }
  const module = (await import(pathToFileURL(file).href)) as { handler: NodeHandler };
  return module.handler;
}

/**
 * What the pages must know of the server's settings to show the right things. SvelteKit's
 * server code gets each request as `platform.req` (adapter-node), so the settings ride on it
 * under `SITE_SETTINGS_KEY`; web/src/lib/server/siteSettings.ts reads them there. The web app
 * is built separately and may not import the server, so that file spells the same shape.
 */
export interface SiteSettings {
  /** Whether the start page offers creating an open room (TUPA_OPEN_ROOMS). */
  openRooms: boolean;
  /** The organisation's time zone (TUPA_TIME_ZONE): session times are shown on its clock. */
  timeZone: string;
}

/** The request property that carries the site settings into the web app. */
export const SITE_SETTINGS_KEY = 'tupaSite';

/** The web handler, with the site settings attached to every request it is given. */
export function withSiteSettings(handler: NodeHandler, site: SiteSettings): NodeHandler {
  return (req, res, next) => {
    Object.assign(req, { [SITE_SETTINGS_KEY]: site });
    handler(req, res, next);
  };
}

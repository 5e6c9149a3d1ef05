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

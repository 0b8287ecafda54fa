/**
 * The UI's own pages, mounted on the server's app (server.ts keeps bull-board and the security middleware): runs,
 * failures, documents, sources, portals, health.
 */
import type { Express, NextFunction, Request, Response } from 'express';
import { readCatalog } from '../crawlers/catalog.ts';
import type { Pipeline } from '../jobs/pipeline.ts';
import { checkHealth, renderHealthPage } from './health-page.ts';
import { renderPortalsPage } from './pages.ts';
import { renderDocumentPage, renderFailuresPage, renderSourcePage } from './record-pages.ts';
import { renderRunsPage } from './runs-page.ts';

export function mountPages(app: Express, pipeline: Pipeline): void {
  const { config } = pipeline;
  app.get('/', (_request, response) => response.redirect('/runs'));
  app.get(
    '/runs',
    page(() => renderRunsPage(pipeline)),
  );
  app.get(
    '/failures',
    page((request) =>
      renderFailuresPage(config, {
        ...optional('runId', queryText(request, 'run')),
        ...optional('code', queryText(request, 'code')),
        ...optional('sourceId', queryText(request, 'source')),
      }),
    ),
  );
  app.get(
    '/documents/:sha256',
    page((request) => renderDocumentPage(config, String(request.params.sha256))),
  );
  app.get(
    '/sources/:id',
    page((request) => {
      const id = String(request.params.id);
      return renderSourcePage(
        config,
        id,
        readCatalog(config.catalogFile).find((entry) => entry.id === id),
      );
    }),
  );
  app.get(
    '/portals',
    page(() => renderPortalsPage(config)),
  );
  // One address for both: monitoring asks for JSON (or anything), a browser for HTML.
  app.get('/health', async (request: Request, response: Response, next: NextFunction) => {
    try {
      const health = await checkHealth(pipeline);
      response.status(health.status === 'down' ? 503 : 200).set('cache-control', 'no-store');
      if (request.accepts(['application/json', 'text/html']) === 'text/html')
        response.type('html').send(renderHealthPage(health, config.timezone));
      else response.json(health);
    } catch (error) {
      next(error);
    }
  });
}

/** A page renderer as a route: null renders a 404. */
function page(render: (request: Request) => Promise<string | null>) {
  return async (request: Request, response: Response, next: NextFunction) => {
    try {
      const html = await render(request);
      if (html === null) response.status(404).type('text').send('not found');
      else response.type('html').send(html);
    } catch (error) {
      next(error);
    }
  };
}

/** A query parameter given once, as text (`?run=a&run=b` or `?run[x]=` are not text: ignored). */
function queryText(request: Request, name: string): string | undefined {
  const value = request.query[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

const optional = <K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, string>>;

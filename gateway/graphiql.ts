import { createRequire } from 'node:module';
import path from 'node:path';
import express, { type Router } from 'express';

/**
 * GraphiQL served entirely by the hub: the page, its script, styles and editor workers come from our
 * own origin (halls are often offline), and the Content-Security-Policy forbids the browser any other.
 */
const assetsDir = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@graphql-yoga/graphiql/package.json')),
  'dist',
);

export const GRAPHIQL_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const DEFAULT_QUERY = `# 不动产交易登记 zone: its departments and items with their checklists
query RealEstateZone {
  zone(code: REAL_ESTATE) {
    name
    departments { code name }
    items {
      code name kind promisedLimitDays
      fee { amountYuan basis }
      checklist { code name required tolerable reviewPoints }
    }
    coverage { itemCount comprehensiveWindowCount share }
  }
  windowCoverage { overall { share } }
}
`;

function page(endpoint: string): string {
  const options = JSON.stringify({ endpoint, title: 'OneWindow Hub', query: DEFAULT_QUERY });
  const escaped = options.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
  return `<!doctype html>
<html lang="zh-CN">
  <head>
    <meta charset="utf-8" />
    <title>OneWindow Hub · GraphiQL</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="/graphiql/assets/graphiql.css" />
  </head>
  <body>
    <noscript>GraphiQL needs JavaScript.</noscript>
    <div id="root" style="height: 100vh" data-options="${escaped}"></div>
    <script src="/graphiql/assets/boot.js"></script>
    <script src="/graphiql/assets/yoga-graphiql.umd.js"></script>
    <script src="/graphiql/assets/start.js"></script>
  </body>
</html>
`;
}

// Monaco asks for a worker by label; each is a file of the package, served from our origin.
const BOOT_JS = `self.MonacoEnvironment = {
  globalAPI: false,
  getWorkerUrl: function (_moduleId, label) {
    var files = { json: 'json.worker.bundle.js', graphql: 'graphql.worker..bundle.js' };
    return new URL('/graphiql/assets/workers/' + (files[label] || 'editor.worker.bundle.js'), document.baseURI).href;
  },
};
`;

const START_JS = `(function () {
  var root = document.getElementById('root');
  var options = JSON.parse(root.getAttribute('data-options'));
  options.endpoint = new URL(options.endpoint, document.baseURI).href;
  YogaGraphiQL.renderYogaGraphiQL(root, options);
})();
`;

export function graphiqlRouter(endpoint: string): Router {
  const router = express.Router();
  const send = (type: string, body: string) => (_req: express.Request, res: express.Response) => {
    res.set('Content-Security-Policy', GRAPHIQL_CSP).type(type).send(body);
  };
  router.get('/', send('html', page(endpoint)));
  router.get('/assets/boot.js', send('js', BOOT_JS));
  router.get('/assets/start.js', send('js', START_JS));
  const fileOptions = { maxAge: '1d', immutable: false, dotfiles: 'deny' as const };
  router.get('/assets/yoga-graphiql.umd.js', (_req, res) =>
    res.sendFile('yoga-graphiql.umd.js', { root: assetsDir, ...fileOptions }),
  );
  router.get('/assets/graphiql.css', (_req, res) =>
    res.sendFile('graphiql.css', { root: assetsDir, ...fileOptions }),
  );
  router.use(
    '/assets/workers',
    express.static(path.join(assetsDir, 'monacoeditorwork'), { ...fileOptions, index: false }),
  );
  return router;
}

import { createRouter } from '../http/app-env.js';
import { csvResponse, prefersCsv } from '../http/csv.js';
import { toPage } from '../http/pagination.js';
import { listRecipientsRoute } from './recipients.routes.js';
import { allRecipients, listRecipients, requireCampaign } from './recipients.service.js';
import { RECIPIENT_COLUMNS, toRecipientCsvRow, toRecipientView } from './recipients.views.js';

export function recipientsRouter() {
  const app = createRouter();
  app.openapi(listRecipientsRoute, async (c) => {
    const { db } = c.get('deps');
    const { id } = c.req.valid('param');
    const { status, engaged, ...page } = c.req.valid('query');
    const filter = { status, engaged };
    c.header('Vary', 'Accept');
    if (prefersCsv(c.req.header('accept'))) {
      await requireCampaign(db, id);
      return csvResponse(c, `campaign-${id}-recipients.csv`, RECIPIENT_COLUMNS, csvRows(allRecipients(db, id, filter)));
    }
    const { data, next_cursor } = await listRecipients(db, id, filter, toPage(page));
    return c.json({ data: data.map(toRecipientView), next_cursor }, 200);
  });
  return app;
}

async function* csvRows(pages: ReturnType<typeof allRecipients>) {
  for await (const page of pages) yield page.map(toRecipientCsvRow);
}

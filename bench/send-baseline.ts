// The send loop as it was on main before the delivery engine (BASELINE_DIR: a checkout of that commit, made by
// bench/send.bench.ts), sending one campaign in this process into a transport that drops everything, as the bench's
// null transport does. Loaded from the checkout itself, so it is that code that runs, against today's schema.
export {};
const dir = process.env.BASELINE_DIR!;
const { loadConfig } = await import(`${dir}/src/config.ts`);
const { createPostgresDatabase } = await import(`${dir}/src/db/database.ts`);
const { createNodeDeps } = await import(`${dir}/src/entry/node-deps.ts`);
const { sendCampaign } = await import(`${dir}/src/campaigns/sender.ts`);

const drop = { name: 'null', async send(m: { messageId: string }) { return { providerMessageId: `null-${m.messageId}` }; } };
const config = loadConfig(process.env);
const db = createPostgresDatabase(process.env.DATABASE_URL!, { max: 4 });
const deps = { ...createNodeDeps(config, db), transports: { email: drop, sms: drop } };
console.log('Sender running');
await sendCampaign(deps, Number(process.env.CAMPAIGN_ID));
await db.destroy();
process.exit(0);

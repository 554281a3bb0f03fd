// Starts the demo shop: `pnpm start` (PORT and HOST change where it listens, TACTFUL_CONFIG which
// configuration file it reads). Data goes to the configuration's storage folder (.tactful-data/).
import { createShop } from './shop.js';

const shop = await createShop({
  ...(process.env.TACTFUL_CONFIG ? { configFile: process.env.TACTFUL_CONFIG } : {}),
  log: (entry) => process.stdout.write(`${JSON.stringify(entry)}\n`),
});
const port = process.env.PORT === undefined ? undefined : Number(process.env.PORT);
if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65_535)) {
  console.error(`PORT must be a port number (0-65535), not "${process.env.PORT}"`);
  process.exit(1);
}
const { url } = await shop.listen({
  ...(port === undefined ? {} : { port }),
  ...(process.env.HOST ? { host: process.env.HOST } : {}),
});
console.log(
  `Tactful demo shop: ${url.replace('127.0.0.1', 'localhost')}/  (privacy center: /privacy, data: ${shop.tactful.storage})`,
);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await shop.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

import { createApp } from './app.js';

const { app } = await createApp();
const url = await app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' });
console.log(url);
process.on('SIGTERM', () => app.close());

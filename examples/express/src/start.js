import { createApp } from './app.js';

const port = Number(process.env.PORT ?? 3000);
const { app, close } = await createApp();
const server = app.listen(port, '127.0.0.1', () => console.log(`http://127.0.0.1:${port}/`));
process.on('SIGTERM', () => server.close(() => close()));

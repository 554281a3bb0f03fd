import { runLifecycle } from './lifecycle.js';

await runLifecycle({ log: (line) => console.log(line) });

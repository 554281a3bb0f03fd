import { runDemo } from './demo.js';

await runDemo({ log: (line) => console.log(line) });

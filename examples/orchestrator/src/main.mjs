import { runDemo } from './demo.mjs';

const { text } = await runDemo();
console.log(text);

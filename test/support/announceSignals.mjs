// Preloaded (`node --import`) into a child memweave by the interrupt test: when the process first
// listens for SIGINT, write "listening\n" to fd 3, so the test signals it only once the handler
// is installed (not after a guessed delay). It changes nothing else.
import { writeSync } from 'node:fs';

const on = process.on.bind(process);
let told = false;
process.on = (event, listener) => {
  const r = on(event, listener);
  if (event === 'SIGINT' && !told) {
    told = true;
    writeSync(3, 'listening\n');
  }
  return r;
};

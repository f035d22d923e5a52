// Fails at once, with the command to run, when the Chromium the e2e tests drive is absent.
// The tests never download a browser: they use the system Chromium (CHROMIUM_PATH, default /usr/bin/chromium).
import { accessSync, constants } from 'node:fs';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
try {
  accessSync(path, constants.X_OK);
} catch {
  console.error(
    `Chromium not found at ${path}.\n` +
      'The end-to-end tests run in the system Chromium. Install it with:\n\n' +
      '    sudo apt-get update && sudo apt-get install -y chromium\n\n' +
      'or point CHROMIUM_PATH at a Chromium or Chrome binary.',
  );
  process.exit(1);
}

// run.mjs — make test-user: the Wasm userland under a mock of the kernel.
//   node tests/user/run.mjs BUILD/user
// Ends with "N passed, N failed"; exits 1 if any check failed.

import { results } from './harness.mjs';
import * as env from './test_env.mjs';
import * as userboot from './test_userboot.mjs';
import * as launcher from './test_launcher.mjs';

const dir = process.argv[2] ?? 'build/user';
env.run(dir);
env.runHeader(dir);
userboot.run(dir);
launcher.run(dir);
console.log(`${results.passed} passed, ${results.failed} failed`);
process.exit(results.failed ? 1 : 0);

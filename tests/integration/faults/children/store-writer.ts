/** Opens the library, saves `<n>` projects named `after <i>` (committed, in the WAL), prints `ready`, and waits to be killed. Argv: <library> <n>. */
import { writeSync } from 'node:fs';
import { ProjectStore } from '../../../../src-main/services/ProjectStore';

const [path, n] = process.argv.slice(2);
const store = new ProjectStore({ path, owner: 'app' });
for (let i = 0; i < Number(n); i++) store.createProject(`after ${i}`);
writeSync(1, 'ready\n');
setInterval(() => {}, 1000);

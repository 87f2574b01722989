/**
 * The family-register simulator (simulators/family-register.ts) as a process of its own for the soak, so that its
 * memory is watched apart from the graph's: `tsx bench/soak/family-register.ts` serves on a free port and prints one
 * JSON line `{ready, url}`. The soak registers each code with it (`POST /dev/codes`) before Myna Portal sends it.
 */
import { systemClock } from '../../lib/platform/clock.js';
import { startFamilyRegisterSimulator } from '../../simulators/family-register.js';

const simulator = await startFamilyRegisterSimulator({ port: 0, clock: systemClock });
process.stdout.write(`${JSON.stringify({ ready: true, url: simulator.url })}\n`);
process.on('SIGTERM', () => void simulator.stop().then(() => process.exit(0)));

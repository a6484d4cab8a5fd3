import { readFileSync } from 'node:fs';
import type { PlanInput } from '../../bot/src/sync/build-plan.js';
import { measurePlan } from './plan-measure.js';

/**
 * Child entry of the sync benchmark: reads the diff+plan input from the JSON file named in argv,
 * as a bot process holds what it read from both systems, builds the plan, and prints its figures
 * as one JSON line. Its memory is then the plan's and the input's, not the test fixture's.
 */
const input = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as PlanInput;
process.stdout.write(`${JSON.stringify(measurePlan(input))}\n`);

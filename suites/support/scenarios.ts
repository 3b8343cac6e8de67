import { scenarioContext } from './scenario-context.js';
import type { Suite } from './suite.js';

/** One check per declared scenario of a kind; the scenario runs with its own sessions, closed afterwards. */
export function scenarioSuite(kind: 'lifecycle' | 'notifications'): Suite {
  return (run) => {
    for (const scenario of run.protocol.scenarios.filter((x) => x.kind === kind)) {
      if (run.plan.selection.methods.length > 0 && !run.plan.selection.methods.includes(scenario.method)) continue;
      run.check(
        { method: scenario.method, case: scenario.id, identity: null, title: scenario.says, see: [scenario.see] },
        async (rec, ctx) => {
          const { s, close } = scenarioContext(ctx, rec);
          try {
            await scenario.run(s);
          } finally {
            await close();
          }
        },
      );
    }
  };
}

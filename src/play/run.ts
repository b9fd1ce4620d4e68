/**
 * One run of the playground (issue 20): the YAML with the controls' changes applied, parsed as the file
 * `playground.yaml` (so messages name the file the page exports), checked against the run limits as
 * `lsim run` checks, simulated, and reported: the JSON result (the bytes `lsim run -f json` writes for
 * the exported YAML) and the run report's body and chart data (src/report/html.ts `reportMain`).
 * Needs no Node API: the worker bundle (scripts/bundle-play.mjs) runs it in the browser.
 */
import { UserError } from '../errors.js';
import { reportMain, type PageData } from '../report/html.js';
import { jsonReport } from '../report/json.js';
import { parseScenario } from '../scenario/load.js';
import { checkWork, estimateWork } from '../sim/estimate.js';
import { simulate } from '../sim/simulate.js';
import { settingsOf, withControls, type Settings } from './controls.js';

/** The file name of the page's scenario in messages and in the exported YAML's download. */
export const PLAY_FILE = 'playground.yaml';

export type PlayOutcome =
  | { ok: true; yaml: string; settings: Settings; json: string; meta: string; html: string; data: PageData; warnings: string[] }
  | { ok: false; yaml: string; settings: Settings; message: string };

/** Runs the scenario `yaml` after `changes`; a scenario the loader refuses comes back with its located message. */
export function playRun(yaml: string, changes: readonly [string, number | string][], onProgress?: (fraction: number) => void): PlayOutcome {
  let text = yaml;
  let settings: Settings = {};
  try {
    text = changes.length ? withControls(yaml, changes) : yaml;
    settings = settingsOf(text);
    const scenario = parseScenario(text, PLAY_FILE);
    checkWork(scenario.file, [estimateWork(scenario)], false);
    const result = simulate(scenario, onProgress ? { onProgress: (now, total) => onProgress(Math.min(1, now / total)) } : {});
    const { meta, html, data } = reportMain(result);
    const warnings = scenario.workloads.flatMap((w) => ('warnings' in w ? w.warnings : []));
    return { ok: true, yaml: text, settings, json: jsonReport(result), meta, html, data, warnings };
  } catch (e) {
    if (e instanceof UserError) return { ok: false, yaml: text, settings, message: e.message };
    return { ok: false, yaml: text, settings, message: `internal error: ${e instanceof Error ? e.message : String(e)}` };
  }
}

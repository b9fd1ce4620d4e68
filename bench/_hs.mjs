import { Session } from 'node:inspector';
import { readFileSync, writeFileSync } from 'node:fs';
const { parseScenario, simulate } = await import('../dist/index.js');
const text = readFileSync(process.argv[2], 'utf8').replace(/^duration: .*$/m, `duration: ${process.argv[3]}`);
const sc = parseScenario(text, 'x.yaml');
simulate(sc); // warm
const s = new Session(); s.connect();
const post = (m, p) => new Promise((res, rej) => s.post(m, p, (e, r) => (e ? rej(e) : res(r))));
await post('HeapProfiler.startSampling', { samplingInterval: 256, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true });
simulate(sc);
const { profile } = await post('HeapProfiler.stopSampling');
const out = new Map();
const walk = (n, stack) => { const name = `${n.callFrame.functionName} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber}:${n.callFrame.columnNumber}`; const st = [...stack, name]; if (n.selfSize > 0) { const k = st.slice(-2).join(' < '); out.set(k, (out.get(k) || 0) + n.selfSize); } for (const c of n.children) walk(c, st); };
walk(profile.head, []);
let tot = 0; for (const v of out.values()) tot += v;
console.log('total sampled MB', (tot / 1e6).toFixed(1));
[...out].sort((a, b) => b[1] - a[1]).slice(0, 25).forEach(([k, v]) => console.log((v / 1e6).toFixed(2).padStart(7), k));

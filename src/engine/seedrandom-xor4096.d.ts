// seedrandom's xor4096 generator on its own (src/engine/rng.ts): @types/seedrandom types it only as a
// member of the package's index.
declare module 'seedrandom/lib/xor4096.js' {
  import type seedrandom from 'seedrandom';
  const xor4096: (typeof seedrandom)['xor4096'];
  export default xor4096;
}

import { describeFuzz } from './fixtures/fuzz-routes';

// SC8 fuzzing of every write route, second half (see fuzz.e2e-spec.ts and fixtures/fuzz-routes.ts).
describeFuzz('fuzz: write routes (second half)', (_, i) => i % 2 === 1);

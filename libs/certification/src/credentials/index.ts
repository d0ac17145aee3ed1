export * from './bitstring';
export * from './signing-keys';
export * from './vc-jwt';
export * from './verify';

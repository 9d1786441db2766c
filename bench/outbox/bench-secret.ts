// The home secret the drain bench's home and region share (decision 0015).
export const BENCH_SECRET = 'outbox-bench-home-secret-0123456789abcdef';

// Crash tests: the home secret the crash home and the crash region share (decision 0015).
export const CRASH_SECRET = 'crash-test-home-secret-0123456789abcdef';

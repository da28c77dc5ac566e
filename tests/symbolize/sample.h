/* Shared between the test program and its library: records a sample here. */
#ifndef SAMPLE_H
#define SAMPLE_H
/* Records the caller's return address, with the function and line it should symbolize to. */
void sample_here(const char *function, int line) __attribute__((noinline));
#endif

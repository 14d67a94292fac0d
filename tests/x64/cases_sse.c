#include "harness.h"
void cases_sse(void) {}
void cases_simd(void) {}

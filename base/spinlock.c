/* The count behind spin_held (base/spinlock.h). */
#include "base/spinlock.h"

volatile uint32_t spin_held;

/* The count behind spin_held (kern/spinlock.h). */
#include "kern/spinlock.h"

volatile uint32_t spin_held;

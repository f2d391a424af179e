/* Suites not written yet. */
#include "kernel.h"
#include "ktest.h"

const struct ktest ktests_slab[] = { { NULL, NULL } };
const struct kbench kbenches_slab[] = { { NULL, NULL } };

void slab_print_stats(void) { kprintf("no slab yet\n"); }
void objs_print_stats(void) { kprintf("no objs yet\n"); }

#include "ktest.h"
const struct ktest ktests_slab[] = { { NULL, NULL } };
const struct kbench kbenches_slab[] = { { NULL, NULL } };

#include "ktest.h"
const struct kbench kbenches_token[] = { { NULL, NULL } };

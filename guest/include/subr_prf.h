#ifndef _SUBR_PRF_H_
#define _SUBR_PRF_H_
#include "types.h"
typedef void (*kputc_t)(int c, void *arg);
void kformat(kputc_t put, void *arg, const char *fmt, va_list ap);
#endif

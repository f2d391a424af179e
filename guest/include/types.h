#ifndef _TYPES_H_
#define _TYPES_H_

typedef unsigned char       uint8_t;
typedef unsigned short      uint16_t;
typedef unsigned int        uint32_t;
typedef unsigned long       uint64_t;
typedef signed char         int8_t;
typedef short               int16_t;
typedef int                 int32_t;
typedef long                int64_t;
typedef unsigned long       uintptr_t;
typedef long                intptr_t;
typedef unsigned long       size_t;
typedef long                ssize_t;
typedef uint64_t            cpumask_t;	/* bit n = cpu n; MAXCPU <= 64 */

#define NULL ((void *)0)
#define offsetof(t, m) __builtin_offsetof(t, m)

typedef __builtin_va_list va_list;
#define va_start(ap, last) __builtin_va_start(ap, last)
#define va_arg(ap, t)      __builtin_va_arg(ap, t)
#define va_end(ap)         __builtin_va_end(ap)

#endif

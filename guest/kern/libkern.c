/* Small freestanding C library pieces. */
#include "kernel.h"

/* Word loops only when both ends are 8-byte aligned (no misaligned access). */
void *memset(void *d, int c, size_t n)
{
	unsigned char *p = d;
	uint64_t w = (unsigned char)c;

	if (((uintptr_t)p & 7) == 0) {
		w |= w << 8;
		w |= w << 16;
		w |= w << 32;
		for (; n >= 8; n -= 8, p += 8)
			*(uint64_t *)p = w;
	}
	while (n--)
		*p++ = (unsigned char)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;

	if ((((uintptr_t)dp | (uintptr_t)sp) & 7) == 0)
		for (; n >= 8; n -= 8, dp += 8, sp += 8)
			*(uint64_t *)dp = *(const uint64_t *)sp;
	while (n--)
		*dp++ = *sp++;
	return d;
}

void *memmove(void *d, const void *s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;

	if (dp < sp) {
		while (n--)
			*dp++ = *sp++;
	} else {
		while (n--)
			dp[n] = sp[n];
	}
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (*a == 0)
			return 0;
	}
	return 0;
}

void strlcpy(char *d, const char *s, size_t n)
{
	size_t i;
	if (n == 0)
		return;
	for (i = 0; i + 1 < n && s[i]; i++)
		d[i] = s[i];
	d[i] = 0;
}

/* Decimal integer; *ok = 0 if s is not a number. */
long strtol_simple(const char *s, int *ok)
{
	long v = 0;
	int neg = 0;

	*ok = 0;
	if (*s == '-') {
		neg = 1;
		s++;
	}
	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (*s++ - '0');
		*ok = 1;
	}
	if (*s)
		*ok = 0;
	return neg ? -v : v;
}

/* xorshift32: deterministic per-caller pseudo random numbers. */
uint32_t krandom(uint32_t *state)
{
	uint32_t x = *state ? *state : 0x9e3779b9;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

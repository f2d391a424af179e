/* printf-style formatting shared by kprintf and ksnprintf. */
#include "kernel.h"
#include "subr_prf.h"

static void put_num(kputc_t put, void *arg, uint64_t v, int base, int neg,
		    int width, int zero, int left, int upper)
{
	char buf[24];
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0, len;

	do {
		buf[n++] = digits[v % base];
		v /= base;
	} while (v);
	len = n + neg;
	if (!left && !zero)
		for (; width > len; width--)
			put(' ', arg);
	if (neg)
		put('-', arg);
	if (!left && zero)
		for (; width > len; width--)
			put('0', arg);
	while (n)
		put(buf[--n], arg);
	if (left)
		for (; width > len; width--)
			put(' ', arg);
}

void kformat(kputc_t put, void *arg, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		int width = 0, zero = 0, left = 0, lng = 0;
		const char *s;
		int64_t sv;

		if (*fmt != '%') {
			put(*fmt, arg);
			continue;
		}
		fmt++;
		if (*fmt == '-') {
			left = 1;
			fmt++;
		}
		if (*fmt == '0') {
			zero = 1;
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'z') {
			lng = 1;
			fmt++;
		}
		switch (*fmt) {
		case 'd':
		case 'i':
			sv = lng ? va_arg(ap, int64_t) : va_arg(ap, int);
			put_num(put, arg, sv < 0 ? -(uint64_t)sv : (uint64_t)sv,
				10, sv < 0, width, zero, left, 0);
			break;
		case 'u':
			put_num(put, arg, lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned),
				10, 0, width, zero, left, 0);
			break;
		case 'x':
		case 'X':
			put_num(put, arg, lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned),
				16, 0, width, zero, left, *fmt == 'X');
			break;
		case 'p':
			put('0', arg);
			put('x', arg);
			put_num(put, arg, (uint64_t)va_arg(ap, void *), 16, 0,
				width, zero, left, 0);
			break;
		case 'c':
			put(va_arg(ap, int), arg);
			break;
		case 's':
			s = va_arg(ap, const char *);
			if (s == NULL)
				s = "(null)";
			width -= (int)strlen(s);
			if (!left)
				for (; width > 0; width--)
					put(' ', arg);
			while (*s)
				put(*s++, arg);
			for (; width > 0; width--)
				put(' ', arg);
			break;
		case '%':
			put('%', arg);
			break;
		case 0:
			return;
		default:
			put('%', arg);
			put(*fmt, arg);
			break;
		}
	}
}

struct snbuf {
	char *buf;
	size_t size;
	size_t len;
};

static void sn_put(int c, void *arg)
{
	struct snbuf *b = arg;
	if (b->len + 1 < b->size)
		b->buf[b->len] = (char)c;
	b->len++;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	struct snbuf b = { buf, size, 0 };
	va_list ap;

	va_start(ap, fmt);
	kformat(sn_put, &b, fmt, ap);
	va_end(ap);
	if (size)
		buf[b.len < size ? b.len : size - 1] = 0;
	return (int)b.len;
}

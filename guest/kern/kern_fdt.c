/*
 * Minimal flattened device tree reader: counts the cpu@ nodes directly
 * under /cpus.  Reads big-endian words byte by byte (no misaligned loads).
 */
#include "kernel.h"

#define FDT_MAGIC	0xd00dfeed
#define FDT_BEGIN_NODE	1
#define FDT_END_NODE	2
#define FDT_PROP	3
#define FDT_NOP		4
#define FDT_END		9

static uint32_t be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	       ((uint32_t)p[2] << 8) | p[3];
}

static int in_ram(uintptr_t p, size_t len)
{
	return p >= RAM_BASE && p < RAM_END && len <= RAM_END - p;
}

/*
 * The structure block of a valid fdt: sets [*start, *end) and returns 0,
 * or -1 if the header is not an fdt's or the block leaves RAM or the blob.
 */
static int fdt_struct_block(const uint8_t *base, uint32_t *start, uint32_t *end)
{
	uint32_t total, off_struct, size_struct;

	if (!in_ram((uintptr_t)base, 40) || be32(base) != FDT_MAGIC)
		return -1;
	total = be32(base + 4);
	off_struct = be32(base + 8);
	size_struct = be32(base + 36);
	if (!in_ram((uintptr_t)base, total) || off_struct + size_struct > total)
		return -1;
	*start = off_struct;
	*end = off_struct + size_struct;
	return 0;
}

/* Returns the number of /cpus/cpu@* nodes, or -1 if fdt is not valid. */
int fdt_count_cpus(const void *fdt)
{
	const uint8_t *base = fdt;
	uint32_t pos, end;
	int depth = 0, in_cpus = 0, count = 0;

	if (fdt_struct_block(base, &pos, &end))
		return -1;
	while (pos + 4 <= end) {
		uint32_t tok = be32(base + pos);
		const char *name;
		size_t len;

		pos += 4;
		switch (tok) {
		case FDT_BEGIN_NODE:
			name = (const char *)base + pos;
			len = strlen(name);
			depth++;
			if (depth == 2)
				in_cpus = strcmp(name, "cpus") == 0;
			else if (depth == 3 && in_cpus && strncmp(name, "cpu@", 4) == 0)
				count++;
			pos += (len + 1 + 3) & ~3U;
			break;
		case FDT_END_NODE:
			if (depth == 2)
				in_cpus = 0;
			depth--;
			break;
		case FDT_PROP:
			len = be32(base + pos);
			pos += 8 + ((len + 3) & ~3U);
			break;
		case FDT_NOP:
			break;
		case FDT_END:
			return count;
		default:
			return -1;
		}
	}
	return -1;
}

/*
 * Unit address of the first node named "<prefix>@<hex>", or 0 if none
 * (or fdt is not valid).  Devices of this board have no other way to be
 * found: QEMU's virt has no such node, so code using them stays silent.
 */
uintptr_t fdt_find_unit(const void *fdt, const char *prefix)
{
	const uint8_t *base = fdt;
	uint32_t pos, end;
	size_t plen = strlen(prefix);

	if (fdt_struct_block(base, &pos, &end))
		return 0;
	while (pos + 4 <= end) {
		uint32_t tok = be32(base + pos);
		const char *name, *p;
		uintptr_t unit;
		size_t len;

		pos += 4;
		switch (tok) {
		case FDT_BEGIN_NODE:
			name = (const char *)base + pos;
			len = strlen(name);
			if (len > plen + 1 && strncmp(name, prefix, plen) == 0 &&
			    name[plen] == '@') {
				unit = 0;
				for (p = name + plen + 1; *p; p++) {
					int d = *p >= '0' && *p <= '9' ? *p - '0' :
					    *p >= 'a' && *p <= 'f' ? *p - 'a' + 10 : -1;
					if (d < 0)
						return 0;
					unit = (unit << 4) | (uintptr_t)d;
				}
				return unit;
			}
			pos += (len + 1 + 3) & ~3U;
			break;
		case FDT_END_NODE:
		case FDT_NOP:
			break;
		case FDT_PROP:
			len = be32(base + pos);
			pos += 8 + ((len + 3) & ~3U);
			break;
		default:
			return 0;
		}
	}
	return 0;
}

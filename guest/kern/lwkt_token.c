/* Serializing tokens (issue 6): placeholder until implemented. */
#include "kernel.h"
#include "globaldata.h"
#include "token.h"

int lwkt_chktokens(thread_t td)
{
	(void)td;
	return 1;
}

void lwkt_drain_token_requests(struct globaldata *gd)
{
	(void)gd;
}

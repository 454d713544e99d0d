/* Grant tables: pages a domain offers to others (common/grant_table.c). */
#ifndef PROXENOS_GRANT_TABLE_H
#define PROXENOS_GRANT_TABLE_H

#include <proxenos/domain.h>

/* Domain life cycle (called by domain_pv_init/destroy). */
int grant_table_init(struct domain *d);
void grant_table_destroy(struct domain *d);

#endif
